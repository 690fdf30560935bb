import { execFile } from "node:child_process";
import type { GpiosetVersion } from "./gpioset-argv.js";
import { powerError } from "./power-error.js";

const VERSION_TIMEOUT_MS = 5_000;

/**
 * The major version in `gpioset --version` output ("gpioset (libgpiod) v1.6.3",
 * "gpioset (libgpiod) v2.1.3"), or undefined for anything else.
 */
export function parseGpiosetVersion(text: string): GpiosetVersion | undefined {
  const major = /\(libgpiod\) v(\d+)\./.exec(text)?.[1];
  if (major === "1") return 1;
  if (major === "2") return 2;
  return undefined;
}

/**
 * Runs `gpioset --version` and returns its major version. Rejects with a gpio power driver
 * HearthError when gpioset is missing or speaks a version hearth does not know.
 */
export function detectGpiosetVersion(gpiosetPath: string): Promise<GpiosetVersion> {
  return new Promise((resolve, reject) => {
    execFile(gpiosetPath, ["--version"], { timeout: VERSION_TIMEOUT_MS }, (err, stdout) => {
      if (err) {
        const isMissing = (err as NodeJS.ErrnoException).code === "ENOENT";
        return reject(
          powerError(
            "gpio",
            isMissing
              ? `${gpiosetPath} is not installed`
              : `\`${gpiosetPath} --version\` failed: ${err.message}`,
            "Install libgpiod's tools: apt install gpiod",
            err,
          ),
        );
      }
      const version = parseGpiosetVersion(stdout);
      if (version !== undefined) return resolve(version);
      const firstLine = stdout.split("\n")[0]?.trim() ?? "";
      reject(
        powerError(
          "gpio",
          `cannot tell the gpioset version from "${firstLine}"`,
          "hearth drives gpioset from libgpiod 1.x or 2.x; install one of those (apt install gpiod).",
        ),
      );
    });
  });
}
