import { z } from "zod";
import { describeValue } from "../services/config/describe-value.js";
import { didYouMean } from "../services/config/did-you-mean.js";
import { secretRef } from "../services/config/secret-ref.js";

const tcpPort = () => z.number().int().min(1).max(65535);
const minutes = (fallback: number) => z.number().int().min(1).default(fallback);

const extensionNumber = z.string().regex(/^[0-9]+$/, {
  error: (issue) =>
    `expected an extension number made of digits like "1001", got ${describeValue(issue.input)}`,
});

const emailAddress = z.string().regex(/^[^\s@]+@[^\s@]+$/, {
  error: (issue) =>
    `expected a mail address like "family@gmail.com", got ${describeValue(issue.input)}`,
});

const sourceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, {
  error: (issue) =>
    `expected a name of letters, digits, - and _ like "gv-main", got ${describeValue(issue.input)}`,
});

/** One phone line. */
export const extensionSchema = z.strictObject({
  name: z.string().min(1).describe("Who or where the phone is; shown on the dashboard."),
  password: secretRef.describe("SIP digest password the phone registers with."),
  mailbox: z
    .string()
    .min(1)
    .optional()
    .describe("Voicemail source (a key under pbx.voicemail) that lights this phone's lamp."),
  mwi: z
    .enum(["subscribe", "unsolicited", "both"])
    .default("subscribe")
    .describe("How the lamp is told: subscribe (RFC 3842), unsolicited (Cisco 79xx) or both."),
});

/** Where waiting-voicemail counts come from. */
export const voicemailSourceSchema = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("imap").describe("Count unread voicemail notification mails."),
    host: z.string().min(1).describe("IMAP server."),
    port: tcpPort().default(993).describe("IMAP port."),
    tls: z.boolean().default(true).describe("Connect with TLS."),
    user: z.string().min(1).describe("IMAP user name."),
    password: secretRef
      .optional()
      .describe("IMAP password (for Gmail, an app password); set this or accessToken."),
    accessToken: secretRef
      .optional()
      .describe(
        "OAuth2 access token (XOAUTH2/OAUTHBEARER), read again at every connection; set this or password.",
      ),
    mailbox: z
      .string()
      .min(1)
      .default("INBOX")
      .describe('Folder holding the notices; a Gmail label is a folder ("GV/Home").'),
    to: z
      .array(emailAddress)
      .min(1)
      .optional()
      .describe(
        "Count only notices addressed (To:) to one of these: one Google Voice number's account. Default: every notice.",
      ),
    from: z
      .string()
      .min(1)
      .default("voice-noreply@google.com")
      .describe("Sender of the voicemail notices."),
    pollMinutes: minutes(5).describe("Poll interval when the server has no IDLE."),
    trustedServers: z
      .array(z.string().min(1))
      .min(1)
      .default(["mx.google.com"])
      .describe("Receiving servers (authserv-id) whose Authentication-Results header is believed."),
    markReadOnClear: z
      .boolean()
      .default(false)
      .describe("Turning a lamp off (dashboard, hearth pbx mwi <ext> off) marks the notices read."),
  }),
  z.strictObject({
    source: z.literal("command").describe("Run a command that prints the waiting count."),
    command: z.string().min(1).describe("Shell command printing the number of new messages."),
    intervalMinutes: minutes(5).describe("How often to run it."),
  }),
  z.strictObject({
    source: z.literal("http").describe("Fetch the waiting count from a URL."),
    url: z.url({ protocol: /^https?$/ }).describe("URL answering with the count as JSON."),
    intervalMinutes: minutes(5).describe("How often to fetch it."),
    token: secretRef.optional().describe("Bearer token sent with the request."),
  }),
  z.strictObject({
    source: z.literal("asterisk").describe("Read a mailbox's counts from Asterisk over AMI."),
    mailbox: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+(@[A-Za-z0-9_.-]+)?$/, {
        error: (issue) =>
          `expected an Asterisk mailbox like "1001" or "1001@default", got ${describeValue(issue.input)}`,
      })
      .describe("Mailbox (app_voicemail), optionally with its context."),
    pollMinutes: minutes(5).describe("Recount interval besides Asterisk's own events."),
  }),
]);

/** `pbx:` — SIP registrar, MWI, voicemail sources, Asterisk bridge. */
export const pbxConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Run the phone service."),
    sip: z
      .strictObject({
        port: tcpPort().default(5060).describe("SIP port."),
        transports: z
          .array(z.enum(["udp", "tcp"]))
          .min(1)
          .default(["udp", "tcp"])
          .describe("Transports to listen on."),
        domain: z.string().min(1).optional().describe("SIP domain and realm; default: hostname."),
        listen: z.string().min(1).default("0.0.0.0").describe("Address to listen on."),
        minExpiresSeconds: z
          .number()
          .int()
          .min(1)
          .default(60)
          .describe("Shortest registration a phone may ask for (shorter gets 423)."),
        maxExpiresSeconds: z
          .number()
          .int()
          .min(60)
          .default(3600)
          .describe("Longest registration granted (longer asks are cut)."),
        qualifySeconds: z
          .number()
          .int()
          .min(0)
          .default(60)
          .describe(
            "Send OPTIONS to every registered phone this often to show if it answers; 0: off.",
          ),
      })
      .prefault({})
      .describe("The built-in SIP registrar."),
    extensions: z.record(extensionNumber, extensionSchema).default({}).describe("Phones."),
    voicemail: z
      .record(sourceName, voicemailSourceSchema)
      .default({})
      .describe("Voicemail sources by name."),
    ami: z
      .strictObject({
        host: z.string().min(1).default("127.0.0.1").describe("Asterisk host."),
        port: tcpPort().default(5038).describe("AMI port."),
        user: z.string().min(1).describe("AMI user (manager.conf)."),
        secret: secretRef.describe("AMI secret."),
        mwi: z
          .enum(["mwiupdate", "spool"])
          .default("mwiupdate")
          .describe(
            "How lamps reach Asterisk: MWIUpdate (res_mwi_external) or spool files + VoicemailRefresh (app_voicemail).",
          ),
        spoolDir: z
          .string()
          .min(1)
          .default("/var/spool/asterisk/voicemail")
          .describe("app_voicemail's spool, for mwi: spool."),
        voicemailContext: z.string().min(1).default("default").describe("Voicemail context."),
        originateContext: z
          .string()
          .min(1)
          .default("from-internal")
          .describe("Dialplan context click-to-call dials from."),
        channelTech: z
          .enum(["PJSIP", "SIP"])
          .default("PJSIP")
          .describe("Channel driver of the phones (PJSIP, or SIP for chan_sip)."),
      })
      .optional()
      .describe("Bridge to an Asterisk/FreePBX; off unless set."),
  })
  .superRefine((pbx, ctx) => {
    for (const [name, source] of Object.entries(pbx.voicemail)) {
      if (source.source === "imap") checkImapLogin(source, ["voicemail", name], ctx);
      if (source.source === "asterisk" && pbx.ami === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["voicemail", name, "source"],
          input: source.source,
          message: "expected pbx.ami to be set: an asterisk voicemail source reads over AMI",
        });
    }
    const names = Object.keys(pbx.voicemail);
    for (const [number, extension] of Object.entries(pbx.extensions)) {
      const mailbox = extension.mailbox;
      if (mailbox === undefined || names.includes(mailbox)) continue;
      const guess = didYouMean(mailbox, names);
      const known = names.length === 0 ? "none is configured" : `one of ${names.join(", ")}`;
      ctx.addIssue({
        code: "custom",
        path: ["extensions", number, "mailbox"],
        input: mailbox,
        message:
          `expected the name of a voicemail source under pbx.voicemail (${known}), got ${describeValue(mailbox)}` +
          (guess === undefined ? "" : ` (did you mean \`${guess}\`?)`),
      });
    }
  });

/** An imap source logs in with exactly one of a password and an OAuth2 access token. */
function checkImapLogin(
  source: { password?: unknown; accessToken?: unknown },
  path: string[],
  ctx: z.RefinementCtx,
): void {
  if (source.password !== undefined && source.accessToken !== undefined)
    ctx.addIssue({
      code: "custom",
      path: [...path, "accessToken"],
      input: source.accessToken,
      message:
        "expected password or accessToken, not both: password logs in with an app password, accessToken with OAuth2; remove one",
    });
  else if (source.password === undefined && source.accessToken === undefined)
    ctx.addIssue({
      code: "custom",
      path,
      input: source,
      message:
        "expected password (for Gmail an app password) or accessToken (an OAuth2 access token), got neither",
    });
}

/** The validated `pbx:` section, defaults filled in. */
export type PbxConfig = z.output<typeof pbxConfigSchema>;
/** One validated extension. */
export type ExtensionConfig = z.output<typeof extensionSchema>;
/** One validated voicemail source. */
export type VoicemailSourceConfig = z.output<typeof voicemailSourceSchema>;
