import type { FileHandle } from "node:fs/promises";

/**
 * Reading ISO base media files (MP4, M4A, MOV; ISO/IEC 14496-12) without a demuxer: find the
 * moov box, walk its children, decode the MPEG-4 elementary stream descriptor. Used where
 * music-metadata says too little and starting ffprobe (200+ shared libraries, 0.3–1 s per file
 * on a small ARM box) costs too much. Malformed input throws RangeError; callers treat that as
 * "cannot tell".
 */

/** A moov larger than this (hours of fragmented tables) is not worth reading for a few numbers. */
const MAX_MOOV_BYTES = 16 << 20;
// ISO/IEC 14496-3 table 1.19: channelConfiguration 7 is 7.1, i.e. 8 channels.
const CHANNELS_BY_CONFIG = [undefined, 1, 2, 3, 4, 5, 6, 8];

/** The moov box's body and the file size, or undefined when there is no complete moov. */
export async function readMoov(
  file: FileHandle,
): Promise<{ moov: Buffer; fileSize: number } | undefined> {
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
      if (boxSize > MAX_MOOV_BYTES || offset + boxSize > size) return undefined;
      const moov = Buffer.alloc(boxSize - headerSize);
      const { bytesRead } = await file.read(moov, 0, moov.length, offset + headerSize);
      return bytesRead === moov.length ? { moov, fileSize: size } : undefined;
    }
    offset += boxSize;
  }
  return undefined;
}

/** The direct children of a box body, in order; stops at the first malformed size. */
export function* childBoxes(buf: Buffer): Generator<{ type: string; body: Buffer }> {
  for (let at = 0; at + 8 <= buf.length;) {
    const size = buf.readUInt32BE(at);
    if (size < 8 || at + size > buf.length) return;
    yield { type: buf.toString("latin1", at + 4, at + 8), body: buf.subarray(at + 8, at + size) };
    at += size;
  }
}

/** The first child of `buf` of each type along `path`, descending ("mdia", "minf", "stbl"). */
export function boxAt(buf: Buffer | undefined, ...path: string[]): Buffer | undefined {
  let current = buf;
  for (const type of path) {
    if (current === undefined) return undefined;
    let next: Buffer | undefined;
    for (const box of childBoxes(current)) {
      if (box.type === type) {
        next = box.body;
        break;
      }
    }
    current = next;
  }
  return current;
}

/** Reads big-endian bit fields from byte `start`; throws RangeError past the end of `buf`. */
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
function descriptor(buf: Buffer, at: number): { tag: number; body: number } {
  const tag = buf.readUInt8(at);
  let pos = at + 1;
  // Up to four length bytes; the high bit says another follows. The length itself is not needed:
  // every caller reads fields at fixed offsets and stops.
  for (let i = 0; i < 4; i++) {
    if ((buf.readUInt8(pos++) & 0x80) === 0) break;
  }
  return { tag, body: pos };
}

/** What an esds box says about its stream. */
export interface EsdsInfo {
  /** 0x40 = MPEG-4 audio (AAC), 0x69/0x6b = MPEG-1/2 audio (MP3), 0x20 = MPEG-4 visual. */
  objectTypeIndication: number;
  /** For AAC: MPEG-4 Audio Object Type (2 = LC, 5 = HE-AAC, 29 = HE-AAC v2). */
  audioObjectType?: number;
  /** For AAC: channels from channelConfiguration (undefined when a PCE defines them). */
  channels?: number;
}

/** Decodes an esds box body (after its size and type): ES, decoder config, AudioSpecificConfig. */
export function parseEsds(esds: Buffer): EsdsInfo | undefined {
  let d = descriptor(esds, 4); // after version and flags
  if (d.tag !== 0x03) return undefined;
  const flags = esds.readUInt8(d.body + 2);
  let at = d.body + 3;
  if (flags & 0x80) at += 2; // dependsOn_ES_ID
  if (flags & 0x40) at += 1 + esds.readUInt8(at); // URL
  if (flags & 0x20) at += 2; // OCR_ES_ID
  d = descriptor(esds, at);
  if (d.tag !== 0x04) return undefined;
  const objectTypeIndication = esds.readUInt8(d.body);
  if (objectTypeIndication !== 0x40) return { objectTypeIndication };
  d = descriptor(esds, d.body + 13); // past objectType, streamType, buffer size and bitrates
  if (d.tag !== 0x05) return { objectTypeIndication };
  // AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): object type (31 escapes to 6 more bits),
  // sampling frequency index (15 means an explicit 24-bit rate follows), channelConfiguration.
  const read = bitReader(esds, d.body);
  let audioObjectType = read(5);
  if (audioObjectType === 31) audioObjectType = 32 + read(6);
  if (read(4) === 15) read(24);
  const channels = CHANNELS_BY_CONFIG[read(4)];
  return channels === undefined
    ? { objectTypeIndication, audioObjectType }
    : { objectTypeIndication, audioObjectType, channels };
}

/**
 * The children of a sample description's first entry (stsd → e.g. avc1/mp4a → avcC/esds), and
 * the entry itself. `fixedBytes` is the entry's fixed part after its 8-byte header: 28 for
 * AudioSampleEntry (QuickTime sound descriptions v1/v2 add 16/36), 78 for VisualSampleEntry.
 */
export function firstSampleEntry(
  stsd: Buffer,
): { type: string; entry: Buffer; children: (fixedBytes: number) => Buffer } | undefined {
  if (stsd.length < 16) return undefined;
  const size = stsd.readUInt32BE(8);
  const entry = stsd.subarray(8, 8 + size);
  if (entry.length < 16) return undefined;
  const type = entry.toString("latin1", 4, 8);
  return { type, entry, children: (fixedBytes) => entry.subarray(8 + fixedBytes) };
}
