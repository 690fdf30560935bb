/**
 * The values of every header field called `name` in a raw header block, in the order they
 * appear (top first), unfolded (RFC 5322 §2.2.3). Bytes are read as latin1, which maps every byte
 * to a character, so no charset can make this throw; the headers it is used for are ASCII.
 *
 * `isTruncated`: the block was cut at a byte limit, so its last field may be incomplete and is
 * dropped rather than read half.
 */
export function headerValues(block: Buffer, name: string, isTruncated = false): string[] {
  let text = block.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  if (end >= 0) text = text.slice(0, end);
  const fields = text.replace(/\r?\n(?=[ \t])/g, "").split(/\r?\n/);
  if (isTruncated && end < 0) fields.pop();
  const prefix = `${name.toLowerCase()}:`;
  const values: string[] = [];
  for (const field of fields) {
    const colon = field.indexOf(":");
    if (colon < 0) continue;
    const fieldName = field.slice(0, colon).trim().toLowerCase();
    if (`${fieldName}:` === prefix) values.push(field.slice(colon + 1).trim());
  }
  return values;
}
