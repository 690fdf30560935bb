import { HearthError } from "../../errors.js";

/** Where hearth.service's RuntimeDirectory=hearth puts the pty links the getty unit looks for. */
export const GETTY_RUNTIME_DIR = "/run/hearth";

/** Port names as config-schema.ts allows them; they are used verbatim as a unit instance (%i). */
const PORT_NAME = /^[a-z0-9_-]+$/;

/**
 * The systemd unit that runs agetty for a port in `mode: getty`: "hearth-getty@board1.service",
 * an instance of etc/hearth-getty@.service. The instance is the port name as is (%i, not %I:
 * systemd would turn "-" into "/" in the unescaped form).
 */
export function gettyUnitName(portName: string): string {
  return `hearth-getty@${checkedName(portName)}.service`;
}

/**
 * The pty link the unit's agetty resolves: "/run/hearth/getty-board1". The unit hard-codes the
 * same path (`/run/hearth/getty-%i`), so a bridge meant for the unit must use this one.
 */
export function gettyLinkPath(portName: string, runtimeDir: string = GETTY_RUNTIME_DIR): string {
  return `${runtimeDir}/getty-${checkedName(portName)}`;
}

function checkedName(portName: string): string {
  if (!PORT_NAME.test(portName))
    throw new HearthError("E_USAGE", `"${portName}" is not a console port name`, {
      fix: "Port names are lowercase letters, digits, - and _ (console.ports.<name>).",
    });
  return portName;
}
