import type { DestinationStream } from "pino";

/**
 * systemd reads an sd-daemon priority prefix ("<4>") at the start of each stdout line and files the
 * line under that priority (SyslogLevelPrefix=, systemd.exec(5)), so `journalctl -p warning` works.
 * pino's numeric levels map onto syslog priorities here.
 */
const PRIORITY: Array<[minLevel: number, syslog: number]> = [
  [60, 2], // fatal → crit
  [50, 3], // error → err
  [40, 4], // warn → warning
  [30, 6], // info → info
  [0, 7], // debug, trace → debug
];

export function syslogPriority(pinoLevel: number): number {
  for (const [min, prio] of PRIORITY) if (pinoLevel >= min) return prio;
  return 7;
}

const LEVEL_BY_LABEL: Record<string, number> = {
  fatal: 60,
  error: 50,
  warn: 40,
  info: 30,
  debug: 20,
  trace: 10,
};

/** Wraps a writable so each JSON log line gets its journald priority prefix. */
export function journaldDestination(out: { write(chunk: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      const match = /"level":"?(\w+)"?/.exec(line);
      const label = match?.[1] ?? "info";
      const level = LEVEL_BY_LABEL[label] ?? (Number(label) || 30);
      out.write(`<${syslogPriority(level)}>${line}`);
    },
  };
}
