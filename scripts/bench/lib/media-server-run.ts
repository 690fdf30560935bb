// Runs inside a benchmark network namespace (started by scripts/bench/media-server.ts through
// `ip netns exec`): starts one DLNA server there, measures it (lib/server-measure.ts), stops it
// and writes the result as JSON. Everything it sends stays inside the namespace.
//
// Usage: ip netns exec <ns> node <tsx loader> media-server-run.ts '<MeasureSpec JSON>' <result.json>
import { writeFileSync } from "node:fs";
import { onInterrupt } from "./interrupt.js";
import { BenchNetns } from "./netns.js";
import { dlnaTarget } from "./dlna-targets.js";
import { measureServer, type MeasureSpec } from "./server-measure.js";

async function main(): Promise<void> {
  const [specJson, resultPath] = process.argv.slice(2);
  if (specJson === undefined || resultPath === undefined) {
    throw new Error("usage: media-server-run.ts '<spec json>' <result path>");
  }
  const spec = JSON.parse(specJson) as MeasureSpec;
  const netns = new BenchNetns(spec.netns.name, spec.netns.subnet, { create: false });
  const target = dlnaTarget(spec.server, { ...spec, netns });
  // On Ctrl-C the parent removes the namespace, which kills what runs in it; stop ours first.
  let pid = 0;
  const forget = onInterrupt(() => {
    if (pid > 0) process.kill(pid, "SIGKILL");
  });
  try {
    const result = await measureServer(spec, target, (p) => (pid = p));
    await target.peer.stop();
    // Gerbera keeps its database locked while it runs: its count can only be read now.
    if (result.items === 0) result.items = await target.peer.itemCount();
    writeFileSync(resultPath, JSON.stringify(result));
  } finally {
    await target.peer.stop();
    forget();
  }
}

await main();
