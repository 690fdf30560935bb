/** Major version of libgpiod's gpioset: their command lines differ (notes §4). */
export type GpiosetVersion = 1 | 2;

/** What gpioset should do with the relay line. */
export interface GpiosetRequest {
  version: GpiosetVersion;
  chip: string;
  line: number;
  activeLow: boolean;
  /**
   * `pulse`: energise the relay for `seconds`, then release it and exit (a power cycle).
   * `hold`: energise it and keep it so until gpioset is killed (power off).
   */
  mode: "pulse" | "hold";
  /** Only for `pulse`. */
  seconds?: number;
}

/**
 * The arguments for gpioset (after the program name). The line is always set to 1 = active =
 * relay energised; releasing it is left to gpioset's exit, because a line requested over the
 * character device reverts when its last holder exits (gpioset(1) 1.6, "Note"). With NC contacts
 * a de-energised relay powers the board, so a stopped hearth leaves boards on.
 */
export function gpiosetArgv(request: GpiosetRequest): string[] {
  const { version, chip, line, activeLow, mode } = request;
  const args = activeLow ? ["-l"] : [];
  if (mode === "pulse" && (request.seconds === undefined || !(request.seconds > 0)))
    throw new RangeError(`a gpioset pulse needs seconds > 0, got ${request.seconds}`);
  if (version === 1) {
    // 1.6: `-m time -s N` sets, sleeps N s, exits; `-m signal` sets and waits for SIGTERM/SIGINT.
    if (mode === "pulse") args.push("-m", "time", "-s", String(request.seconds));
    else args.push("-m", "signal");
    args.push(chip, `${line}=1`);
  } else {
    // 2.x: `-t Ns,0` toggles to inactive after N s and, the last period being 0, exits; without
    // -t it holds until killed. -C names hearth as the line's consumer in `gpioinfo`.
    args.push("-C", "hearth", "-c", chip);
    if (mode === "pulse") args.push("-t", `${request.seconds}s,0`);
    args.push(`${line}=1`);
  }
  return args;
}
