import { cleanText, pictureDate, positiveInt, type ItemRecord } from "./library-records.js";
import type { IndexedFile } from "./media-types.js";
import { folderIdOf, splitPath } from "./folder-chain.js";

const KIND = { audio: "a", video: "v", image: "p" } as const;

// A track in "Album/CD1/03.flac" belongs to the album folder "Album", not "CD1".
const DISC_FOLDER = /^(cd|dis[ck])[\s._-]*\d+$/i;

/**
 * The stored record of one indexed file. Built the same way for the same input, so comparing two
 * records' JSON tells whether anything a client sees changed.
 */
export function itemRecord(file: IndexedFile): ItemRecord {
  const { dir, name } = splitPath(file.relPath);
  const record: ItemRecord = {
    k: KIND[file.mediaClass],
    p: folderIdOf(file.rootId, dir),
    f: name,
    z: Math.max(0, Math.round(file.sizeBytes)),
    m: file.mime,
  };
  if (file.dlnaProfile !== undefined) record.pn = file.dlnaProfile;
  if (file.mediaClass === "audio") addAudio(record, file, dir);
  if (file.mediaClass === "video") addVideo(record, file);
  if (file.mediaClass === "image") addPicture(record, file);
  if (file.coverRelPath !== undefined) record.cv = file.coverRelPath;
  if (file.metadataError !== undefined) record.er = 1;
  return record;
}

function addAudio(record: ItemRecord, file: IndexedFile, dir: string): void {
  const audio = file.audio ?? {};
  setText(record, "t", audio.title);
  setTechnical(record, audio.durationSeconds, undefined, undefined);
  setNumber(record, "b", audio.bitrateBps);
  setNumber(record, "s", audio.sampleRateHz);
  setNumber(record, "ch", audio.channels);
  setText(record, "ar", audio.artist);
  setText(record, "aa", audio.albumArtist);
  setText(record, "al", audio.album);
  setText(record, "g", audio.genre);
  setNumber(record, "tn", audio.trackNumber);
  setNumber(record, "dn", audio.discNumber);
  setNumber(record, "y", audio.year);
  if (audio.hasEmbeddedArt === true) record.ea = 1;
  const { dir: parentDir, name: folderName } = splitPath(dir);
  if (dir !== "" && DISC_FOLDER.test(folderName)) record.af = folderIdOf(file.rootId, parentDir);
}

function addVideo(record: ItemRecord, file: IndexedFile): void {
  const video = file.video ?? {};
  setText(record, "t", video.title);
  setTechnical(record, video.durationSeconds, video.width, video.height);
  setNumber(record, "b", video.bitrateBps);
  setNumber(record, "s", video.audioSampleRateHz);
  setNumber(record, "ch", video.audioChannels);
  const subtitles = file.subtitles ?? [];
  if (subtitles.length > 0) {
    record.sb = subtitles.map((sub) =>
      sub.language === undefined
        ? [sub.relPath, sub.format, sub.mime]
        : [sub.relPath, sub.format, sub.mime, sub.language],
    );
  }
}

function addPicture(record: ItemRecord, file: IndexedFile): void {
  setTechnical(record, undefined, file.image?.width, file.image?.height);
  record.dt = pictureDate(file);
}

function setTechnical(
  record: ItemRecord,
  durationSeconds: number | undefined,
  width: number | undefined,
  height: number | undefined,
): void {
  if (durationSeconds !== undefined && Number.isFinite(durationSeconds) && durationSeconds > 0) {
    record.d = Math.round(durationSeconds * 1000) / 1000;
  }
  setNumber(record, "w", width);
  setNumber(record, "h", height);
}

type TextField = "t" | "ar" | "aa" | "al" | "g";
type NumberField = "w" | "h" | "b" | "s" | "ch" | "tn" | "dn" | "y";

function setText(record: ItemRecord, field: TextField, value: string | undefined): void {
  const text = cleanText(value);
  if (text !== undefined) record[field] = text;
}

function setNumber(record: ItemRecord, field: NumberField, value: number | undefined): void {
  const number = positiveInt(value);
  if (number !== undefined) record[field] = number;
}
