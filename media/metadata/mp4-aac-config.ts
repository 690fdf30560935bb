import { open, type FileHandle } from "node:fs/promises";

/** The AAC facts only the decoder configuration tells (music-metadata reports neither). */
export interface AacConfig {
  /** MPEG-4 Audio Object Type: 2 = AAC LC, 5 = HE-AAC (SBR), 29 = HE-AAC v2 (PS). */
  objectType: number;
  /** From channelConfiguration; undefined when the config defers to a program config element. */
  channels: number | undefined;
}

/** A moov larger than this (hours of fragmented tables) is not worth reading for two numbers. */
const MAX_MOOV_BYTES = 16 << 20;
const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl"]);
// ISO/IEC 14496-3 table 1.19: channelConfiguration 7 is 7.1, i.e. 8 channels.
const CHANNELS_BY_CONFIG = [undefined, 1, 2, 3, 4, 5, 6, 8];

async function readMoov(file: FileHandle): Promise<Buffer | undefined> {
  const { size } = await file.stat();
  const header = Buffer.alloc(16);
  for (let offset = 0; offset + 8 <= size;) {
    await file.read(header, 0, 16, offset);
    let boxSize = header.readUInt32BE(0);
    let headerSize = 8;
    if (boxSize === 1) [boxSize, headerSize] = [Number(header.readBigUInt64BE(8)), 16];
    if (boxSize === 0) boxSize = size - offset; // "to the end of the file"
    if (boxSize < headerSize) return undefined;
    if (header.toString("latin1", 4, 8) === "moov") {
      if (boxSize > MAX_MOOV_BYTES) return undefined;
      const moov = Buffer.alloc(boxSize - headerSize);
      await file.read(moov, 0, moov.length, offset + headerSize);
      return moov;
    }
    offset += boxSize;
  }
  return undefined;
}

/** Every box of `type` under `buf`, descending through the track containers, in file order. */
function findBoxes(buf: Buffer, type: string, found: Buffer[] = []): Buffer[] {
  for (let at = 0; at + 8 <= buf.length;) {
    const size = buf.readUInt32BE(at);
    const name = buf.toString("latin1", at + 4, at + 8);
    if (size < 8 || at + size > buf.length) break;
    const body = buf.subarray(at + 8, at + size);
    if (name === type) found.push(body);
    else if (CONTAINERS.has(name)) findBoxes(body, type, found);
    at += size;
  }
  return found;
}

/** Reads big-endian bit fields from `start`; throws RangeError past the end of `buf`. */
function bitReader(buf: Buffer, start: number): (bits: number) => number {
  let pos = start * 8;
  return (bits) => {
    let value = 0;
    for (let i = 0; i < bits; i++, pos++) {
      value = (value << 1) | ((buf.readUInt8(pos >> 3) >> (7 - (pos & 7))) & 1);
    }
    return value;
  };
}

/** Reads an MPEG-4 descriptor header (ISO/IEC 14496-1 §8.3.3): tag and varint length. */
function descriptor(buf: Buffer, at: number): { tag: number; body: number; end: number } {
  const tag = buf.readUInt8(at);
  let length = 0;
  let pos = at + 1;
  for (let i = 0; i < 4; i++) {
    const byte = buf.readUInt8(pos++);
    length = (length << 7) | (byte & 0x7f);
    if ((byte & 0x80) === 0) break;
  }
  return { tag, body: pos, end: pos + length };
}

function parseEsds(esds: Buffer): AacConfig | undefined {
  let d = descriptor(esds, 4); // after version and flags
  if (d.tag !== 0x03) return undefined;
  const flags = esds.readUInt8(d.body + 2);
  let at = d.body + 3;
  if (flags & 0x80) at += 2; // dependsOn_ES_ID
  if (flags & 0x40) at += 1 + esds.readUInt8(at); // URL
  if (flags & 0x20) at += 2; // OCR_ES_ID
  d = descriptor(esds, at);
  if (d.tag !== 0x04) return undefined;
  d = descriptor(esds, d.body + 13); // past objectType, streamType, buffer size and bitrates
  if (d.tag !== 0x05 || d.end - d.body < 2) return undefined;
  // AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): object type (31 escapes to 6 more bits),
  // sampling frequency index (15 means an explicit 24-bit rate follows), channelConfiguration.
  const read = bitReader(esds, d.body);
  let objectType = read(5);
  if (objectType === 31) objectType = 32 + read(6);
  if (read(4) === 15) read(24);
  const config = read(4);
  return { objectType, channels: CHANNELS_BY_CONFIG[config] };
}

/** The AAC config of a sample description, if its first entry is MPEG-4 audio. */
function aacConfigOf(stsd: Buffer): AacConfig | undefined {
  // stsd: version/flags, entry count, then the first sample entry (size, "mp4a", 28 bytes of
  // AudioSampleEntry; QuickTime sound descriptions v1/v2 add 16/36 bytes).
  if (stsd.length < 16 || stsd.toString("latin1", 12, 16) !== "mp4a") return undefined;
  const entry = stsd.subarray(8, 8 + stsd.readUInt32BE(8));
  const version = entry.length >= 18 ? entry.readUInt16BE(16) : 0;
  const children = entry.subarray(36 + (version === 1 ? 16 : version === 2 ? 36 : 0));
  const esds =
    findBoxes(children, "esds")[0] ??
    findBoxes(findBoxes(children, "wave")[0] ?? Buffer.alloc(0), "esds")[0];
  return esds === undefined ? undefined : parseEsds(esds);
}

/**
 * The AAC object type and channel count of the first audio track of an MP4/M4A file, read from
 * its esds box (ISO/IEC 14496-14, 14496-1 and 14496-3). MiniDLNA reads the same box to tell AAC
 * LC from HE-AAC before it claims an AAC_ISO profile; music-metadata also reports 2 channels for
 * 5.1 AAC, because it trusts the sample entry's channelcount, which muxers leave at 2. Resolves
 * undefined when the file has no such box or it cannot be parsed.
 */
export async function readMp4AacConfig(absPath: string): Promise<AacConfig | undefined> {
  const file = await open(absPath, "r");
  try {
    const moov = await readMoov(file);
    for (const stsd of moov === undefined ? [] : findBoxes(moov, "stsd")) {
      const config = aacConfigOf(stsd);
      if (config !== undefined) return config;
    }
    return undefined;
  } catch (err) {
    if (err instanceof RangeError) return undefined; // a box or descriptor runs past its parent
    throw err;
  } finally {
    await file.close();
  }
}
