import type { CdsClient } from "./upnp-client.js";

/** What a paged walk of a server's whole tree saw. */
export interface TreeWalk {
  /** Entries returned (containers and items, every reference counted). */
  entries: number;
  containers: number;
  requests: number;
  /** Non-200 answers and pages that came back short of what TotalMatches promised. */
  failures: number;
  seconds: number;
  /** Summed request times (request sent to answer received): the walk's time minus the client's. */
  serverMs: number;
  /** True when the walk stopped at `capSeconds` before the end. */
  capped: boolean;
}

/**
 * Browses every container from the root, depth first, `pageSize` at a time, one request at a
 * time (as a control point listing everything would), until done or `capSeconds` have passed.
 */
export async function walkTree(
  client: CdsClient,
  capSeconds: number,
  pageSize = 50,
): Promise<TreeWalk> {
  const t0 = performance.now();
  const deadline = t0 + capSeconds * 1000;
  const walk: TreeWalk = {
    entries: 0,
    containers: 0,
    requests: 0,
    failures: 0,
    seconds: 0,
    serverMs: 0,
    capped: false,
  };
  const stack = ["0"];
  const seen = new Set(stack);
  while (stack.length > 0 && !walk.capped) {
    const id = stack.pop() ?? "0";
    walk.containers++;
    for (let start = 0; ; start += pageSize) {
      if (performance.now() > deadline) {
        walk.capped = true;
        break;
      }
      const page = await client.browseCounts(id, start, pageSize);
      walk.requests++;
      walk.serverMs += page.ms;
      walk.entries += page.numberReturned;
      const expected = Math.min(pageSize, page.totalMatches - start);
      if (page.status !== 200 || page.numberReturned < expected) walk.failures++;
      for (const child of page.containerIds) {
        if (!seen.has(child)) {
          seen.add(child);
          stack.push(child);
        }
      }
      if (page.numberReturned === 0 || start + pageSize >= page.totalMatches) break;
    }
  }
  walk.seconds = (performance.now() - t0) / 1000;
  return walk;
}
