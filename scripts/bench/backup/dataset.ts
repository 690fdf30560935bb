import { createCipheriv, createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  writeSync,
  writeFileSync,
  symlinkSync,
} from "node:fs";
import { join } from "node:path";

/**
 * The benchmark's data, as shared/notes/backups.md describes it: about 20 000 small files (0 to
 * 32 KiB, half of each compressible text, half noise) in ~560 nested folders with Unicode, space
 * and quote names, some symlinks and empty folders, plus large incompressible files making up the
 * rest of the size. Deterministic (AES-CTR keystream from fixed keys), so every tool backs up the
 * same bytes and `change(…, 1)` / `change(…, 0)` switch the "1 %" edit on and off.
 */
export interface Dataset {
  dir: string;
  smallFiles: number;
  largeFiles: number;
  bytes: number;
}

const SMALL_FILES = 20_000;
const DIRS = 556;
const LARGE_BYTES = 180 * 1024 * 1024;
const NAMES = ["notes", "Ünïcødé", "with space", "it's", "日本", "plain", "Änderung", "résumé"];

function stream(label: string): (bytes: number) => Buffer {
  const key = createHash("sha256").update(label).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
  return (bytes) => cipher.update(Buffer.alloc(bytes));
}

function smallPath(dir: string, i: number): string {
  const d = i % DIRS;
  const folder = join(dir, `${NAMES[d % NAMES.length]} ${Math.floor(d / 40)}`, `folder ${d}`);
  return join(folder, `${NAMES[i % NAMES.length]} file ${i}.txt`);
}

function smallBody(i: number, version: number): Buffer {
  const size = (i * 7919) % (32 * 1024);
  const noise = stream(`small-${i}-${version}`)(Math.ceil(size / 2));
  const text = Buffer.from(
    `line ${i} of a household document, version ${version}\n`.repeat(Math.ceil(size / 80) + 1),
  );
  return Buffer.concat([text.subarray(0, size - noise.length), noise]).subarray(0, size);
}

export function makeDataset(dir: string, totalMiB: number): Dataset {
  const largeFiles = Math.max(
    1,
    Math.round((totalMiB * 1024 * 1024 - SMALL_FILES * 16 * 1024) / LARGE_BYTES),
  );
  const largeBytes = Math.max(
    16 * 1024 * 1024,
    Math.floor((totalMiB * 1024 * 1024 - SMALL_FILES * 16 * 1024) / largeFiles),
  );
  const stamp = join(dir, ".dataset-done");
  const result = {
    dir,
    smallFiles: SMALL_FILES,
    largeFiles,
    bytes: SMALL_FILES * 16 * 1024 + largeFiles * largeBytes,
  };
  if (existsSync(stamp)) return result;
  for (let i = 0; i < SMALL_FILES; i += 1) {
    const path = smallPath(dir, i);
    if (i < DIRS) mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, smallBody(i, 0));
  }
  for (let i = 0; i < largeFiles; i += 1) {
    const fd = openSync(join(dir, `large ${i}.bin`), "w");
    const next = stream(`large-${i}`);
    for (let done = 0; done < largeBytes; done += 1 << 20)
      writeSync(fd, next(Math.min(1 << 20, largeBytes - done)));
    closeSync(fd);
  }
  for (let i = 0; i < 50; i += 1) mkdirSync(join(dir, "empty", `e${i}`), { recursive: true });
  for (let i = 0; i < 36; i += 1) {
    const target = i % 6 === 0 ? `missing-${i}` : `../${NAMES[i % NAMES.length]} 0/folder ${i * 8}`;
    mkdirSync(join(dir, "links"), { recursive: true });
    symlinkSync(target, join(dir, "links", `link ${i}`));
  }
  writeFileSync(stamp, "");
  return result;
}

/**
 * The "1 %" edit: 200 small files rewritten and 1 MiB overwritten in place in the first large
 * file, with content of its own for each version n ≥ 1; version 0 puts it back as generated.
 */
export function change(dataset: Dataset, version: number): void {
  for (let k = 0; k < 200; k += 1) {
    const i = (k * 97) % dataset.smallFiles;
    writeFileSync(smallPath(dataset.dir, i), smallBody(i, version));
  }
  const fd = openSync(join(dataset.dir, "large 0.bin"), "r+");
  const offset = 64 * 1024 * 1024;
  const original = stream("large-0");
  const block =
    version === 0 ? (original(offset), original(1 << 20)) : stream(`edit-${version}`)(1 << 20);
  writeSync(fd, block, 0, block.length, offset);
  closeSync(fd);
}
