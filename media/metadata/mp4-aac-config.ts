import { open } from "node:fs/promises";
import { boxAt, childBoxes, firstSampleEntry, parseEsds, readMoov } from "./mp4-boxes.js";

/** The AAC facts only the decoder configuration tells (music-metadata reports neither). */
export interface AacConfig {
  /** MPEG-4 Audio Object Type: 2 = AAC LC, 5 = HE-AAC (SBR), 29 = HE-AAC v2 (PS). */
  objectType: number;
  /** From channelConfiguration; undefined when the config defers to a program config element. */
  channels: number | undefined;
}

/** The esds of an mp4a sample entry: directly below it, or inside QuickTime's 'wave' box. */
export function mp4aEsds(stsd: Buffer): Buffer | undefined {
  const first = firstSampleEntry(stsd);
  if (first?.type !== "mp4a") return undefined;
  const version = first.entry.length >= 18 ? first.entry.readUInt16BE(16) : 0;
  const children = first.children(28 + (version === 1 ? 16 : version === 2 ? 36 : 0));
  return boxAt(children, "esds") ?? boxAt(children, "wave", "esds");
}

/**
 * The AAC object type and channel count of the first AAC track of an MP4/M4A file, read from
 * its esds box (ISO/IEC 14496-14, 14496-1 and 14496-3). MiniDLNA reads the same box to tell AAC
 * LC from HE-AAC before it claims an AAC_ISO profile; music-metadata also reports 2 channels for
 * 5.1 AAC, because it trusts the sample entry's channelcount, which muxers leave at 2. Resolves
 * undefined when the file has no such box or it cannot be parsed.
 */
export async function readMp4AacConfig(absPath: string): Promise<AacConfig | undefined> {
  const file = await open(absPath, "r");
  try {
    const found = await readMoov(file);
    for (const trak of found === undefined ? [] : childBoxes(found.moov)) {
      if (trak.type !== "trak") continue;
      const esds = mp4aEsds(boxAt(trak.body, "mdia", "minf", "stbl", "stsd") ?? Buffer.alloc(0));
      const info = esds === undefined ? undefined : parseEsds(esds);
      if (info?.audioObjectType !== undefined) {
        return { objectType: info.audioObjectType, channels: info.channels };
      }
    }
    return undefined;
  } catch (err) {
    if (err instanceof RangeError) return undefined; // a box or descriptor runs past its parent
    throw err;
  } finally {
    await file.close();
  }
}
