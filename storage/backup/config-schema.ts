import { z } from "zod";
import { absolutePath } from "../../services/config/absolute-path.js";
import { describeValue } from "../../services/config/describe-value.js";
import { secretRef } from "../../services/config/secret-ref.js";

const KEYWORDS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly"];

/** Five or six cron fields (croner syntax), or one of the @keywords. */
function isSchedule(text: string): boolean {
  if (text.startsWith("@")) return KEYWORDS.includes(text);
  const fields = text.trim().split(/\s+/);
  return (
    (fields.length === 5 || fields.length === 6) && fields.every((f) => /^[\w*/,?#-]+$/.test(f))
  );
}

const schedule = () =>
  z.string().refine(isSchedule, {
    error: (issue) =>
      `expected a cron schedule like "0 3 * * *" or one of @hourly, @daily, @weekly, @monthly, got ${describeValue(issue.input)}`,
  });

const jobName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, {
  error: (issue) =>
    `expected a job name of lowercase letters, digits, - and _ like "documents", got ${describeValue(issue.input)}`,
});

const count = () => z.number().int().min(0).optional();
const names = () => z.array(z.string().min(1));

const localDestination = z
  .strictObject({
    type: z.literal("local").describe("A folder on this box, e.g. on a USB disk."),
    path: absolutePath("/media/usb/backup").describe("Folder holding the restic repository."),
    requireMount: absolutePath("/media/usb")
      .optional()
      .describe("Refuse to run unless this mount point is mounted (never fill the SD card)."),
  })
  .superRefine((dest, ctx) => {
    const mount = dest.requireMount?.replace(/\/+$/, "");
    if (mount === undefined || dest.path === mount || dest.path.startsWith(`${mount}/`)) return;
    ctx.addIssue({
      code: "custom",
      path: ["path"],
      input: dest.path,
      message: `expected a path at or below requireMount (${mount}), got ${describeValue(dest.path)}`,
    });
  });

/** Where a job's restic repository lives. */
export const destinationSchema = z.discriminatedUnion("type", [
  localDestination,
  z.strictObject({
    type: z.literal("smb").describe("A Windows/Samba share."),
    host: z.string().min(1).describe("SMB server."),
    port: z.number().int().min(1).max(65535).optional().describe("SMB port; default 445."),
    share: z.string().min(1).describe("Share name."),
    path: z.string().min(1).optional().describe("Folder inside the share."),
    user: z.string().min(1).describe("SMB user."),
    password: secretRef.describe("SMB password."),
    domain: z.string().min(1).optional().describe("Windows domain or workgroup."),
  }),
  z.strictObject({
    type: z.literal("sftp").describe("An SSH server."),
    url: z
      .string()
      .regex(/^sftp:/, {
        error: (issue) =>
          `expected a restic sftp URL like "sftp:backup@nas:/srv/restic/box", got ${describeValue(issue.input)}`,
      })
      .describe("restic repository URL."),
    identityFile: absolutePath("/etc/hearth/secrets/backup_ed25519")
      .optional()
      .describe("SSH private key."),
    knownHostsFile: absolutePath("/etc/hearth/known_hosts")
      .optional()
      .describe("known_hosts file pinning the server's key."),
  }),
  z.strictObject({
    type: z.literal("s3").describe("S3-compatible object storage (MinIO, Ceph RGW, AWS…)."),
    endpoint: z.url({ protocol: /^https?$/ }).describe("Endpoint URL."),
    bucket: z.string().min(1).describe("Bucket name."),
    path: z.string().min(1).optional().describe("Prefix inside the bucket."),
    accessKeyId: secretRef.describe("Access key id."),
    secretAccessKey: secretRef.describe("Secret access key."),
    region: z.string().min(1).optional().describe("Region, when the store needs one."),
    caCertFile: absolutePath("/etc/hearth/minio-ca.pem")
      .optional()
      .describe("CA certificate for a private endpoint."),
  }),
]);

/** One backup job: what to back up, where to, when, and how long to keep it. */
export const backupJobSchema = z.strictObject({
  sources: z.array(absolutePath("/home/me/Documents")).min(1).describe("Folders to back up."),
  excludes: names().optional().describe("restic --exclude patterns."),
  excludeCaches: z.boolean().optional().describe("Skip folders holding a CACHEDIR.TAG."),
  excludeIfPresent: names().optional().describe("Skip folders holding a file of this name."),
  destinations: z.array(destinationSchema).min(1).describe("Repositories, each backed up to."),
  password: secretRef.describe("restic repository password."),
  schedule: schedule().default("@daily").describe("When to run (cron, local time)."),
  keep: z
    .strictObject({
      last: count().describe("Keep the last N snapshots."),
      hourly: count().describe("Keep one per hour for N hours."),
      daily: count().describe("Keep one per day for N days."),
      weekly: count().describe("Keep one per week for N weeks."),
      monthly: count().describe("Keep one per month for N months."),
      yearly: count().describe("Keep one per year for N years."),
    })
    .default({ daily: 7, weekly: 4, monthly: 12 })
    .describe("Retention (restic forget --keep-*)."),
  forgetSchedule: schedule()
    .default("@weekly")
    .describe(
      "When to apply the retention (restic forget --prune: pruning rewrites data, so not after every run).",
    ),
  check: z
    .strictObject({
      schedule: schedule().default("@weekly").describe("When to verify the repository."),
      readDataSubset: z
        .string()
        .regex(/^(\d+\/\d+|\d+(\.\d+)?%|\d+[KMGT]?)$/, {
          error: (issue) =>
            `expected a part to read back like "5%", "1/10" or "500M", got ${describeValue(issue.input)}`,
        })
        .optional()
        .describe("Also read back this part of the data (restic check --read-data-subset)."),
    })
    .prefault({})
    .describe("Verification."),
  hooks: z
    .strictObject({
      pre: z
        .string()
        .min(1)
        .optional()
        .describe("Shell command run before; failing skips the run."),
      post: z.string().min(1).optional().describe("Shell command run after, with the result."),
    })
    .prefault({})
    .describe("Commands around each run."),
  nice: z
    .strictObject({
      cpu: z.number().int().min(0).max(19).default(10).describe("CPU niceness, 0-19."),
      ioClass: z.enum(["idle", "best-effort"]).optional().describe("I/O scheduling class."),
      limitUploadKiBs: z.number().int().min(1).optional().describe("Upload limit in KiB/s."),
    })
    .prefault({})
    .describe("Keep the box responsive while backing up."),
});

/** Who hears about failures: a command, a webhook, or both. */
export const notifySchema = z.strictObject({
  command: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Shell command run on each event, with HEARTH_BACKUP_JOB, _EVENT and _MESSAGE in its environment.",
    ),
  url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'Webhook called on each event (see style); "{job}" in it becomes the job name (one healthchecks check per job: https://hc-ping.com/<key>/{job}).',
    ),
  style: z
    .enum(["json", "ntfy", "healthchecks"])
    .default("json")
    .describe(
      "json: POST {job, event, message}; ntfy: POST the message as text to a topic URL; healthchecks: ping URL/start, URL, URL/fail.",
    ),
  events: z
    .array(z.enum(["start", "success", "warning", "failure", "overdue"]))
    .default(["failure", "warning", "overdue"])
    .describe("Which events to send (healthchecks style always gets start, success and failure)."),
});

/** The built-in job that backs up hearth's own config and catalog (see `hearthState`). */
export const HEARTH_STATE_JOB = "hearth-state";

/** `backup:` — encrypted restic backup jobs. */
export const backupConfigSchema = z
  .strictObject({
    jobs: z.record(jobName, backupJobSchema).default({}).describe("Backup jobs by name."),
    notify: notifySchema.optional().describe("Tell someone when a backup fails or is overdue."),
    hearthState: jobName
      .optional()
      .describe(
        "Also back up hearth's own config and catalog, to this job's destinations (off by default).",
      ),
    catchUpDelaySeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(120)
      .describe("Runs missed while the box was off start this long after hearth starts."),
  })
  .superRefine((backup, ctx) => {
    if (backup.hearthState === undefined) return;
    if (backup.jobs[HEARTH_STATE_JOB]) {
      ctx.addIssue({
        code: "custom",
        path: ["jobs", HEARTH_STATE_JOB],
        input: HEARTH_STATE_JOB,
        message: `"${HEARTH_STATE_JOB}" is the name of hearth's built-in job (backup.hearthState); give this job another name`,
      });
    }
    if (!backup.jobs[backup.hearthState]) {
      const known = Object.keys(backup.jobs);
      ctx.addIssue({
        code: "custom",
        path: ["hearthState"],
        input: backup.hearthState,
        message: `expected the name of a job under backup.jobs${known.length ? ` (${known.join(", ")})` : ""}, got ${describeValue(backup.hearthState)}`,
      });
    }
  });

/** The validated `backup:` section, defaults filled in. */
export type BackupConfig = z.output<typeof backupConfigSchema>;
/** One validated backup job. */
export type BackupJobConfig = z.output<typeof backupJobSchema>;
/** Where failure notices go. */
export type BackupNotifyConfig = z.output<typeof notifySchema>;
/** One validated destination. */
export type BackupDestination = z.output<typeof destinationSchema>;
