import assert from "node:assert/strict";
import { SERVED_FORMATS, sourceProtocols } from "../../../media/connection-manager/index.js";
import type { AudioMeta, ImageMeta, VideoMeta } from "../../../media/library/media-types.js";
import { classifyName } from "../../../media/metadata/classify-name.js";
import { audioProfile } from "../../../media/metadata/dlna-audio-profile.js";
import { imageProfile } from "../../../media/metadata/dlna-image-profile.js";
import { videoProfile } from "../../../media/metadata/dlna-video-profile.js";
import type { MediaFormat } from "../../../media/metadata/media-format.js";

/** Every extension classifyName lists (media/metadata/classify-name.ts). */
const EXTENSIONS = (
  "mp3 mp2 flac m4a m4b aac ogg oga opus wav wma aif aiff ape wv mka dsf dff " +
  "mp4 m4v mkv webm avi mov ts m2ts mts mpg mpeg vob wmv asf flv 3gp ogv " +
  "jpg jpeg jpe png gif webp heic heif avif bmp tif tiff"
).split(" ");

/** Calls `visit` with every combination of the given values (a small cartesian product). */
function sweep<T extends Record<string, readonly unknown[]>>(
  axes: T,
  visit: (pick: { [K in keyof T]: T[K][number] }) => void,
): void {
  const keys = Object.keys(axes);
  const walk = (i: number, pick: Record<string, unknown>): void => {
    if (i === keys.length) return visit(pick as { [K in keyof T]: T[K][number] });
    for (const value of axes[keys[i] as string] ?? [])
      walk(i + 1, { ...pick, [keys[i] as string]: value });
  };
  walk(0, {});
}

type Add = (format: MediaFormat) => void;

/** What the profile tables can give a file: "mime PN" or "mime *", over a grid of real-world values. */
function reachableFormats(): Set<string> {
  const found = new Set<string>();
  const add: Add = (f) => found.add(`${f.mime} ${f.dlnaProfile ?? "*"}`);
  for (const ext of EXTENSIONS) add({ mime: classifyName(`x.${ext}`)?.mime ?? "?" });
  sweepAudio(add);
  sweepVideo(add);
  sweepImages(add);
  return found;
}

function sweepAudio(add: Add): void {
  sweep(
    {
      container: [
        "MPEG",
        "M4A/isom/iso2",
        "ADTS/MPEG-4",
        "ASF/audio",
        "FLAC",
        "WAVE",
        "Ogg",
        "AIFF",
      ],
      codec: [
        "MPEG 1 Layer 3",
        "MPEG 2 Layer 3",
        "MPEG-4/AAC",
        "AAC",
        "Windows Media Audio V8",
        "FLAC",
      ],
      codecProfile: ["AAC LC", "HE-AAC", undefined],
      sampleRateHz: [44_100, 22_050, 96_000],
      channels: [2, 6, 8],
      bitrateBps: [128_000, 300_000, 400_000, 1_000_000, 2_000_000],
      // Formats the table does not know keep the name's type.
      ext: ["mp3", "m4a", "aac", "wma", "flac", "wav", "ogg", "aiff"],
    },
    ({ ext, ...a }) => add(audioProfile(a as AudioMeta, classifyName(`x.${ext}`)?.mime ?? "?")),
  );
}

function sweepVideo(add: Add): void {
  const containers = [
    ["mov,mp4,m4a,3gp,3g2,mj2", ["mp4", "m4v", "mov", "3gp"]],
    ["matroska,webm", ["mkv", "webm"]],
    ["mpeg", ["mpg"]],
    ["mpegts", ["ts"]],
    ["avi", ["avi"]],
    ["flv", ["flv"]],
    ["ogg", ["ogv"]],
  ] as const;
  for (const [container, exts] of containers) {
    for (const ext of exts) {
      sweep(
        {
          videoCodec: ["h264", "mpeg2video", "mpeg1video", "hevc"],
          videoProfile: ["Constrained Baseline", "Main", "High", "High 10"],
          size: [
            [352, 288],
            [352, 240],
            [720, 576],
            [720, 480],
            [1280, 720],
            [1920, 1080],
          ],
          bitrateBps: [500_000, 900_000, 1_800_000, 9_000_000, 14_000_000, 20_000_000, 24_000_000],
          frameRate: [15, 25, 29.97],
          audio: [
            { audioCodec: "aac", audioProfile: "LC", audioChannels: 2 },
            { audioCodec: "aac", audioProfile: "LC", audioChannels: 6 },
            { audioCodec: "ac3", audioChannels: 6 },
            { audioCodec: "mp3", audioChannels: 2 },
            { audioCodec: "mp2", audioChannels: 2 },
            { audioCodec: "pcm_dvd", audioChannels: 2 },
          ] as VideoMeta[],
        },
        (v) => {
          const video: VideoMeta = {
            ...v.audio,
            container,
            videoCodec: v.videoCodec,
            videoProfile: v.videoProfile,
            width: v.size[0],
            height: v.size[1],
            bitrateBps: v.bitrateBps,
            frameRate: v.frameRate,
            audioSampleRateHz: 48_000,
          };
          add(videoProfile(video, ext, classifyName(`x.${ext}`)?.mime ?? "?"));
        },
      );
    }
  }
}

function sweepImages(add: Add): void {
  sweep(
    {
      format: ["jpeg", "png", "gif", "webp", "bmp", "tiff", "avif"],
      size: [
        [160, 160],
        [640, 480],
        [480, 640],
        [1024, 768],
        [4096, 4096],
        [1600, 1200],
        [5000, 10],
      ],
    },
    (i) =>
      add(
        imageProfile(
          { format: i.format, width: i.size[0], height: i.size[1] } as ImageMeta,
          "image/x-fallback",
        ),
      ),
  );
}

describe("source protocols", () => {
  it("lists exactly the MIME types and DLNA profiles hearth's profile tables can give a file", () => {
    const listed = new Set(
      SERVED_FORMATS.flatMap((f) => [...f.profiles.map((p) => `${f.mime} ${p}`), `${f.mime} *`]),
    );
    const reachable = reachableFormats();
    assert.deepEqual(
      [...reachable].filter((f) => !listed.has(f)).sort(),
      [],
      "served but not listed",
    );
    assert.deepEqual(
      [...listed].filter((f) => !reachable.has(f)).sort(),
      [],
      "listed but never served",
    );
  });

  it("writes each profile, then the plain type, per MIME type", () => {
    assert.deepEqual(
      sourceProtocols([
        { mime: "audio/mpeg", profiles: ["MP3"] },
        { mime: "audio/x-flac", profiles: [] },
        { mime: "image/jpeg", profiles: ["JPEG_TN", "JPEG_SM"] },
      ]),
      [
        "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3",
        "http-get:*:audio/mpeg:*",
        "http-get:*:audio/x-flac:*",
        "http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_TN",
        "http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_SM",
        "http-get:*:image/jpeg:*",
      ],
    );
  });

  it("has no duplicates and nothing a comma-separated list cannot carry", () => {
    const list = sourceProtocols();
    assert.equal(new Set(list).size, list.length);
    assert.equal(list.length, 65);
    for (const entry of list)
      assert.match(
        entry,
        /^http-get:\*:[a-z0-9.+-]+\/[a-z0-9.+-]+:(\*|DLNA\.ORG_PN=[A-Za-z0-9_]+)$/,
      );
    assert.equal(list[0], "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3");
    assert.equal(list.at(-1), "http-get:*:image/heif:*");
  });
});
