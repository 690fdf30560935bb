// Child process of crash-consistency.test.ts: writes to the catalog in <dir> as fast as it can
// until the parent kills it with SIGKILL. Protocol on stdout, one line each, printed only after
// the write's promise resolved (acknowledged):
//   ready <first batch number>
//   b <batch number>        every media "batch/<n>/<part>" key and "counter" = n are written
//   s <key>                 the single put pbx <key> = <its batch number> is written
// Run: node --import tsx test/storage/catalog/crash-writer.ts <dir>
import { Catalog } from "../../../storage/catalog/catalog.js";
import type { CatalogOp } from "../../../storage/catalog/catalog-namespace.js";

/** Keys per logical batch besides the counter; the parent checks all or none are present. */
export const PARTS_PER_BATCH = 5;
/** Logical batches (and single puts) awaiting acknowledgement at once. */
const MAX_IN_FLIGHT = 64;
// ~1.5 kB per logical batch: coalesced batches span several 32 kB log blocks, a long run fills
// LevelDB's 4 MB memtable, and each reopen turns the log into table files, so over the runs kills
// also land during memtable flushes and compactions.
const PAD = "x".repeat(200);

/** The key of one part of one logical batch; zero-padded so keys sort by batch number. */
export function partKey(batchNo: number, part: number): string {
  return `batch/${String(batchNo).padStart(10, "0")}/${part}`;
}

function say(line: string): void {
  // stdout to a pipe is synchronous on Linux: once this returns the ack is in the kernel's pipe
  // buffer, where a SIGKILL cannot swallow it.
  process.stdout.write(`${line}\n`);
}

async function main(dir: string): Promise<void> {
  const catalog = await Catalog.open({ dir });
  const media = catalog.namespace("media");
  const pbx = catalog.namespace("pbx");
  const first = ((await media.get<number>("counter")) ?? 0) + 1;
  say(`ready ${first}`);

  const inFlight = new Set<Promise<void>>();
  const track = (write: Promise<void>): void => {
    const tracked = write.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  for (let batchNo = first; ; batchNo += 1) {
    const ops: CatalogOp[] = Array.from({ length: PARTS_PER_BATCH }, (_, part) => ({
      type: "put",
      key: partKey(batchNo, part),
      value: { batchNo, part, pad: PAD },
    }));
    ops.push({ type: "put", key: "counter", value: batchNo });
    track(media.batch(ops).then(() => say(`b ${batchNo}`)));
    if (batchNo % 3 === 0) {
      const key = `single/${first}/${batchNo}`;
      track(pbx.put(key, batchNo).then(() => say(`s ${key}`)));
    }
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
  }
}

if (process.argv[1]?.endsWith("crash-writer.ts")) {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error("usage: crash-writer.ts <catalog dir>");
  await main(dir);
}
