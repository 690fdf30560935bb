import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A stand-in for gpioset, labelled as a fake: this container has no /dev/gpiochip* (no gpio-sim
 * or gpio-mockup: no configfs, no modprobe), so the real gpioset can only fail here. The fake
 * prints the given version, appends each run's argv and its end to a log, holds like
 * `-m signal` (1.x) / no -t (2.x) until SIGTERM, and pulses like `-m time -s N` / `-t Ns,0`.
 */
export interface FakeGpioset {
  path: string;
  /** One line per event: "version", "start <argv…>", "released", "pulse done". */
  events(): string[];
}

export function writeFakeGpioset(dir: string, versionLine: string): FakeGpioset {
  const path = join(dir, "gpioset");
  const log = join(dir, "gpioset.log");
  writeFileSync(log, "");
  writeFileSync(
    path,
    `#!/usr/bin/python3
import signal, sys, time
args = sys.argv[1:]
def note(text):
    with open(${JSON.stringify(log)}, "a") as f:
        f.write(text + "\\n")
def release(*_):
    note("released")
    sys.exit(0)
signal.signal(signal.SIGTERM, release)
signal.signal(signal.SIGINT, release)
if args == ["--version"]:
    note("version")
    print(${JSON.stringify(versionLine)})
    sys.exit(0)
note("start " + " ".join(args))
if "-s" in args:
    time.sleep(float(args[args.index("-s") + 1]))
elif "-t" in args:
    time.sleep(float(args[args.index("-t") + 1].split(",")[0].rstrip("s")))
else:
    while True:
        signal.pause()
note("pulse done")
`,
  );
  chmodSync(path, 0o755);
  return {
    path,
    events: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
  };
}
