import { z } from "zod";
import { absolutePath } from "../services/config/absolute-path.js";

/** What a media root holds; decides which trees (Music, Videos, Pictures) show its files. */
export const mediaKinds = ["music", "video", "pictures", "mixed"] as const;

/** One folder shared over DLNA. */
export const mediaRootSchema = z.strictObject({
  path: absolutePath("/srv/media/Music").describe(
    "Folder to share; everything below it is indexed.",
  ),
  kind: z
    .enum(mediaKinds)
    .default("mixed")
    .describe("What the folder holds: music, video, pictures or mixed."),
  exclude: z
    .array(z.string().min(1))
    .optional()
    .describe("More name patterns to skip under this root, on top of media.exclude."),
});

/**
 * `media:` — the DLNA media server. The friendly name defaults at runtime to
 * "hearth on <hostname>", so it stays optional here.
 */
export const mediaConfigSchema = z.strictObject({
  friendlyName: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Name shown in DLNA clients; default "hearth on <hostname>".'),
  roots: z.array(mediaRootSchema).default([]).describe("Folders to share."),
  interfaces: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe("Network interfaces to announce on; default: every LAN IPv4 interface."),
  exclude: z
    .array(z.string().min(1))
    .default([".*", "@eaDir", "#recycle", "lost+found", "$RECYCLE.BIN"])
    .describe("File and folder name patterns (globs) never indexed."),
  rescanMinutes: z
    .number()
    .int()
    .min(1)
    .default(60)
    .describe("Rescan interval where live watching does not work (network filesystems)."),
  thumbnails: z.boolean().default(true).describe("Make thumbnails for pictures and videos."),
});

/** The validated `media:` section, defaults filled in. */
export type MediaConfig = z.output<typeof mediaConfigSchema>;
/** One validated media root. */
export type MediaRoot = z.output<typeof mediaRootSchema>;
