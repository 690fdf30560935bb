import { randomBytes } from "node:crypto";
import { PROMPT } from "../../../test/fixtures/serial/fake-board.js";
import { ProcessMeter } from "../lib/process-meter.js";
import { treeRss, waitQuiet } from "../lib/settle.js";
import type { RawClient } from "./raw-client.js";

/** Echo round trips in microseconds, and how many came back as a different byte. */
export interface EchoFigures {
  samplesUs: number[];
  wrongBytes: number;
}

/** A flood through the manager: bytes, wall time, the manager's CPU and disk writes meanwhile. */
export interface FloodFigures {
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  writeBytes: number;
}

/** The manager with a client attached and nothing happening. */
export interface IdleFigures {
  seconds: number;
  cpuSeconds: number;
  writeBytes: number;
  rssBytes: number;
  /** Bytes the client received in the window (should be 0). */
  clientBytes: number;
}

const WARM_UP_ROUNDS = 50;
const ROUND_TIMEOUT_MS = 5000;

/**
 * Waits until the path client ⇄ manager ⇄ pty ⇄ board answers, skipping whatever arrives first
 * (hearth's replay, the boot log that sat in the pty): a fresh marker typed to the board must
 * come back. `shell`: the board runs its shell (the marker is an echo command), else it
 * echoes bytes.
 */
export async function syncWithBoard(client: RawClient, shell: boolean): Promise<void> {
  const marker = `sync-${randomBytes(4).toString("hex")}`;
  client.write(shell ? `echo ${marker}\r` : marker);
  await client.untilText(shell ? `\n${marker}\r\n${PROMPT}` : marker);
}

/**
 * One byte out, the same byte back (fake board --echo-only), `rounds` times after 50 unmeasured
 * ones; letters only, never 0x05 (hearth's escape).
 */
export async function echoRoundTrips(client: RawClient, rounds: number): Promise<EchoFigures> {
  await syncWithBoard(client, false);
  const samplesUs: number[] = [];
  let wrongBytes = 0;
  for (let i = 0; i < WARM_UP_ROUNDS + rounds; i++) {
    const letter = String.fromCharCode(0x61 + (i % 26));
    const target = client.received + 1;
    const t0 = performance.now();
    client.write(letter);
    await client.until("echo", () => client.received >= target, ROUND_TIMEOUT_MS);
    const us = (performance.now() - t0) * 1000;
    if (!client.endsWith(letter)) wrongBytes++;
    if (i >= WARM_UP_ROUNDS) samplesUs.push(us);
  }
  return { samplesUs, wrongBytes };
}

/**
 * Types `flood <bytes>` to the board's shell and waits for all of it and the prompt after.
 * `bytesPerSecond` bounds the wait (a paced board at 115200 baud sends 11 520 B/s).
 */
export async function flood(
  client: RawClient,
  pid: number,
  bytes: number,
  bytesPerSecond: number,
): Promise<FloodFigures> {
  await syncWithBoard(client, true);
  const command = `flood ${bytes}\r`;
  const start = client.received;
  const meter = new ProcessMeter(pid, 500);
  const t0 = performance.now();
  client.write(command);
  const timeoutMs = 30_000 + (2000 * bytes) / bytesPerSecond;
  // The board echoes the command line ("flood N\r\n") before the N bytes and the prompt.
  const expected = command.length + 1 + bytes + PROMPT.length;
  await client.until(
    `flood of ${bytes} bytes`,
    () => client.received - start >= expected && client.endsWith(PROMPT),
    timeoutMs,
  );
  const seconds = (performance.now() - t0) / 1000;
  const reading = meter.stop();
  return {
    bytes: client.received - start,
    seconds,
    cpuSeconds: reading.cpuSeconds,
    writeBytes: reading.writeBytes,
  };
}

/**
 * The manager idle with `client` attached: first lets it finish what the previous phase left
 * (a log flush; for Node, V8's memory reducer, which runs a few garbage collections in the half
 * minute after a burst of allocation), then measures CPU and disk writes over `seconds`, and its
 * RSS at the end.
 */
export async function idle(
  client: RawClient,
  pid: number,
  seconds: number,
  settleSeconds: number,
): Promise<IdleFigures> {
  await new Promise((r) => setTimeout(r, settleSeconds * 1000));
  await waitQuiet(pid, { quietSeconds: 2, maxSeconds: 30, share: 0.005 });
  const before = client.received;
  const meter = new ProcessMeter(pid, 1000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const reading = meter.stop();
  return {
    seconds,
    cpuSeconds: reading.cpuSeconds,
    writeBytes: reading.writeBytes,
    rssBytes: treeRss(pid),
    clientBytes: client.received - before,
  };
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? NaN;
}
