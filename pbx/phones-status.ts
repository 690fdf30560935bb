import type { ServiceHealth } from "../services/host/service.js";
import type { AmiClient, AmiLinkStatus } from "./asterisk/ami-client.js";
import type { AsteriskBridge } from "./asterisk/asterisk-bridge.js";
import type { ChannelView } from "./asterisk/call-tracker.js";
import type { ContactView } from "./asterisk/registration-tracker.js";
import type { PbxConfig } from "./config-schema.js";
import type { LampOverride, MwiNotifier, NotifyResult } from "./mwi/index.js";
import type { CallProxy, CallView } from "./proxy/call-proxy.js";
import type { ContactQualifier, Reachability } from "./registrar/contact-qualifier.js";
import type { Registrar } from "./registrar/registrar.js";
import type { MailboxState, VoicemailSource } from "./voicemail/index.js";

/** One registered phone of an extension. */
export interface ContactStatus {
  contact: string;
  /** "UDP 192.168.1.20:5060": where hearth reaches it. */
  via: string;
  userAgent?: string;
  expiresAt: string;
  registeredAt: string;
  /** What hearth's last OPTIONS showed (`pbx.sip.qualifySeconds`); absent when qualify is off. */
  reachability?: ReachabilityView;
}

/** A contact's answer to OPTIONS: reachable with its round trip, unreachable, or not asked yet. */
export interface ReachabilityView {
  state: Reachability["state"];
  roundTripMs?: number;
  /** The phone's status code (any final answer counts as reachable). */
  status?: number;
  checkedAt?: string;
}

export interface ExtensionStatusView {
  number: string;
  name: string;
  mwi: "subscribe" | "unsolicited" | "both";
  mailbox?: string;
  contacts: ContactStatus[];
  /** Messages waiting in its mailbox, when the mailbox has been counted. */
  voicemail?: MailboxState;
  /** Whether its lamp is lit: new messages waiting, or forced on. */
  lamp: boolean;
  /** Forced on or off from the dashboard or `hearth pbx mwi`; absent: follows the mailbox. */
  lampOverride?: "on" | "off";
  /** Turning the lamp off marks its mailbox's notices read (imap source with `markReadOnClear`). */
  markReadOnClear?: true;
  /** Phones subscribed to its message-summary. */
  subscribers: number;
  /** The last NOTIFY sent to one of its phones and the phone's answer. */
  lastNotify?: { at: string; via: string; status: number; reason: string; lampOn: boolean };
}

export interface SourceStatusView {
  name: string;
  kind: string;
  state?: MailboxState;
  health: ServiceHealth;
}

/** Everything `hearth pbx status` and the Phones page show. JSON-safe; no secrets. */
export interface PhonesStatus {
  domain: string;
  port: number;
  transports: readonly string[];
  extensions: ExtensionStatusView[];
  sources: SourceStatusView[];
  /** Calls between extensions going through hearth now. */
  calls: CallView[];
  asterisk?: { link: AmiLinkStatus; registrations: ContactView[]; calls: ChannelView[] };
  /** Malformed or refused SIP input since start (counted, logged once per window). */
  sipProblems: number;
  health: ServiceHealth;
}

export interface StatusParts {
  config: PbxConfig;
  realm: string;
  port: number;
  registrar: Registrar | undefined;
  qualifier: ContactQualifier | undefined;
  proxy: CallProxy | undefined;
  mwi: MwiNotifier | undefined;
  sources: ReadonlyMap<string, VoicemailSource>;
  ami: AmiClient | undefined;
  bridge: AsteriskBridge | undefined;
  problems: number;
}

/** Builds the status view from the live parts; cheap and synchronous (health() calls it). */
export function phonesStatus(parts: StatusParts): PhonesStatus {
  const { config } = parts;
  const sources = [...parts.sources.values()].map((source) => {
    const state = source.state();
    return {
      name: source.name,
      kind: source.kind,
      ...(state ? { state } : {}),
      health: source.health(),
    };
  });
  const live = new Map((parts.registrar?.list() ?? []).map((e) => [e.number, e.contacts]));
  const lamps = new Map((parts.mwi?.status() ?? []).map((l) => [l.number, l]));
  const extensions = Object.entries(config.extensions)
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([number, e]): ExtensionStatusView => {
      const voicemail = e.mailbox ? parts.sources.get(e.mailbox)?.state() : undefined;
      const lamp = lamps.get(number);
      const source = e.mailbox ? config.voicemail[e.mailbox] : undefined;
      return {
        number,
        name: e.name,
        mwi: e.mwi,
        ...(e.mailbox ? { mailbox: e.mailbox } : {}),
        contacts: (live.get(number) ?? []).map((b) => ({
          contact: b.contact,
          via: `${b.source.protocol} ${b.source.address}:${b.source.port}`,
          ...(b.userAgent ? { userAgent: b.userAgent } : {}),
          expiresAt: new Date(b.expiresAt).toISOString(),
          registeredAt: new Date(b.registeredAt).toISOString(),
          ...reachabilityOf(parts.qualifier?.reachability(number, b.contact)),
        })),
        ...(voicemail ? { voicemail } : {}),
        lamp: lamp?.lampOn ?? (voicemail?.new ?? 0) > 0,
        ...overrideOf(lamp?.override),
        ...(source?.source === "imap" && source.markReadOnClear
          ? { markReadOnClear: true as const }
          : {}),
        subscribers: lamp?.subscribers ?? 0,
        ...(lamp?.lastNotify ? { lastNotify: notifyView(lamp.lastNotify) } : {}),
      };
    });
  const asterisk =
    parts.ami && parts.bridge
      ? {
          link: parts.ami.status(),
          registrations: parts.bridge.registrations(),
          calls: parts.bridge.calls(),
        }
      : undefined;
  return {
    domain: parts.realm,
    port: parts.port,
    transports: config.sip.transports,
    extensions,
    sources,
    calls: parts.proxy?.calls() ?? [],
    ...(asterisk ? { asterisk } : {}),
    sipProblems: parts.problems,
    health: overallHealth(sources, parts.bridge, extensions),
  };
}

/** Degraded when a voicemail source or the Asterisk link is down: a lamp may be wrong. */
function overallHealth(
  sources: readonly SourceStatusView[],
  bridge: AsteriskBridge | undefined,
  extensions: readonly ExtensionStatusView[],
): ServiceHealth {
  const registered = extensions.filter((e) => e.contacts.length > 0).length;
  const details = { extensions: extensions.length, registered };
  const down = sources.find((s) => s.health.state !== "ok");
  if (down) {
    return {
      state: "degraded",
      reason: `Voicemail source ${down.name}: ${down.health.reason ?? "not working"}`,
      ...(down.health.fix ? { fix: down.health.fix } : {}),
      details,
    };
  }
  const link = bridge?.health();
  if (link && link.state !== "ok") {
    return {
      state: "degraded",
      reason: `Asterisk: ${link.reason ?? "the AMI link is down"}`,
      ...(link.fix ? { fix: link.fix } : {}),
      details,
    };
  }
  return { state: "ok", details };
}

function reachabilityOf(r: Reachability | undefined): { reachability?: ReachabilityView } {
  if (r === undefined) return {};
  return {
    reachability: {
      state: r.state,
      ...(r.roundTripMs === undefined ? {} : { roundTripMs: r.roundTripMs }),
      ...(r.status === undefined ? {} : { status: r.status }),
      ...(r.checkedAt === undefined ? {} : { checkedAt: new Date(r.checkedAt).toISOString() }),
    },
  };
}

function overrideOf(override: LampOverride): { lampOverride?: "on" | "off" } {
  return override === undefined ? {} : { lampOverride: override };
}

function notifyView(n: NotifyResult): NonNullable<ExtensionStatusView["lastNotify"]> {
  return {
    at: new Date(n.at).toISOString(),
    via: n.via,
    status: n.status,
    reason: n.reason,
    lampOn: n.lampOn,
  };
}
