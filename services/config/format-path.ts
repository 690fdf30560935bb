/**
 * A key path as users write it: `console.ports.board1.baud`, `media.roots[0].path`. Keys that
 * are not plain names are quoted: `log.services["my svc"]`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z0-9_-]+$/.test(segment)) {
      text += text === "" ? segment : `.${segment}`;
    } else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
