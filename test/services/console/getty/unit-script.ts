import { readFileSync } from "node:fs";
import { GETTY_RUNTIME_DIR } from "../../../../services/console/getty/getty-unit-name.js";

/** etc/hearth-getty@.service, as shipped. */
export const GETTY_UNIT_PATH = new URL("../../../../etc/hearth-getty@.service", import.meta.url)
  .pathname;

/**
 * The shell script the unit's `ExecStart=/bin/sh -c '…'` runs for one instance, unfolded the way
 * systemd does it (systemd.syntax(7), systemd.service(5)): a backslash at a line's end joins it to
 * the next with a space, `%i` is the instance name, `$$` a literal `$`. With `runtimeDir`, the
 * link directory /run/hearth is moved so tests can run it on a link of their own.
 */
export function gettyUnitScript(instance: string, runtimeDir: string = GETTY_RUNTIME_DIR): string {
  const text = readFileSync(GETTY_UNIT_PATH, "utf8").replace(/\\\n/g, " ");
  const quoted = /^ExecStart=\/bin\/sh -c '([^']*)'$/m.exec(text)?.[1];
  if (quoted === undefined) throw new Error("no ExecStart=/bin/sh -c '…' line in the unit");
  if (/%[^i]/.test(quoted))
    throw new Error("the script uses a specifier this helper does not expand");
  return quoted
    .replaceAll("%i", instance)
    .replaceAll("$$", "$")
    .replaceAll(`${GETTY_RUNTIME_DIR}/`, `${runtimeDir}/`);
}
