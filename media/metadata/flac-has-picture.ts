import { open } from "node:fs/promises";

const PICTURE_BLOCK = 6;
/** A FLAC stream has a handful of metadata blocks; a corrupt chain must not loop for long. */
const MAX_BLOCKS = 64;

/**
 * Whether a FLAC file carries an embedded picture (a METADATA_BLOCK_PICTURE, FLAC format §8.8),
 * read from the block headers alone. music-metadata's skipCovers seeks past pictures without
 * saying one was there, and reading the picture to find out would pull up to megabytes per track
 * off an SD card; this reads four bytes per block.
 */
export async function flacHasPicture(absPath: string): Promise<boolean> {
  const file = await open(absPath, "r");
  try {
    const head = Buffer.alloc(10);
    let offset = 0;
    await file.read(head, 0, 10, 0);
    // Some taggers put an ID3v2 tag in front of the stream; its size is syncsafe (ID3v2.4 §3.1).
    if (head.toString("latin1", 0, 3) === "ID3") {
      const syncsafe = [6, 7, 8, 9].map((i) => head.readUInt8(i) & 0x7f);
      offset = 10 + syncsafe.reduce((size, byte) => (size << 7) | byte, 0);
    }
    const magic = Buffer.alloc(4);
    await file.read(magic, 0, 4, offset);
    if (magic.toString("latin1") !== "fLaC") return false;
    offset += 4;
    const header = Buffer.alloc(4);
    for (let i = 0; i < MAX_BLOCKS; i++) {
      const { bytesRead } = await file.read(header, 0, 4, offset);
      if (bytesRead < 4) return false;
      const type = header.readUInt8(0);
      if ((type & 0x7f) === PICTURE_BLOCK) return true;
      if ((type & 0x80) !== 0) return false;
      offset += 4 + header.readUIntBE(1, 3);
    }
    return false;
  } finally {
    await file.close();
  }
}
