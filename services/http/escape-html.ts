/** Escapes text for HTML element content and quoted attribute values (numeric entities). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
