import { hostname } from "node:os";
import type { Logger } from "pino";
import { resolveSecret } from "../services/config/index.js";
import { HearthError } from "../services/errors.js";
import type { ServiceHealth } from "../services/host/service.js";
import type { CatalogNamespace } from "../storage/catalog/catalog-namespace.js";
import { AmiClient } from "./asterisk/ami-client.js";
import { AsteriskBridge, type OriginateResult } from "./asterisk/asterisk-bridge.js";
import { AsteriskMailboxSource } from "./asterisk/asterisk-mailbox-source.js";
import type { PbxConfig } from "./config-schema.js";
import { DigestAuthenticator, type Extension } from "./digest-auth/digest-authenticator.js";
import { MwiNotifier, type LampOverride } from "./mwi/index.js";
import { CallProxy } from "./proxy/call-proxy.js";
import { ContactQualifier } from "./registrar/contact-qualifier.js";
import { Registrar } from "./registrar/registrar.js";
import { SipEndpoint } from "./sip/sip-endpoint.js";
import {
  createVoicemailSource,
  extensionsByMailbox,
  isClearable,
  type MailboxState,
  type ResolvedVoicemailSourceConfig,
  type VoicemailSource,
} from "./voicemail/index.js";
import { phonesStatus, type PhonesStatus } from "./phones-status.js";

/** What turning a lamp off did: forced it off, or cleared it by marking its notices read. */
export type LampOffResult =
  { kind: "forced" } | { kind: "marked-read"; mailbox: string; marked: number };

export interface PhonesDeps {
  config: PbxConfig;
  /** The pbx namespace (registrar bindings under `binding/`). */
  catalog: CatalogNamespace;
  log: Logger;
  /** Secret lookups (tests pass their own environment). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The phone system, composed from its parts: the SIP endpoint, digest authentication, the
 * registrar, the call proxy between extensions, the MWI notifier, the voicemail sources and, when configured, the Asterisk bridge. Usable without the
 * daemon (tests); the PbxService adds routes and health. Voicemail state flows one way: a source's
 * count → the extensions that name it as their `mailbox` → their lamps (and Asterisk's mailbox of
 * the same number through the bridge, unless the count came from Asterisk itself).
 */
export class Phones {
  readonly #deps: PhonesDeps;
  readonly #log: Logger;
  readonly #realm: string;
  #endpoint: SipEndpoint | undefined;
  #registrar: Registrar | undefined;
  #qualifier: ContactQualifier | undefined;
  #proxy: CallProxy | undefined;
  #mwi: MwiNotifier | undefined;
  #ami: AmiClient | undefined;
  #bridge: AsteriskBridge | undefined;
  readonly #sources = new Map<string, VoicemailSource>();
  readonly #unsubscribe: Array<() => void> = [];

  constructor(deps: PhonesDeps) {
    this.#deps = deps;
    this.#log = deps.log;
    this.#realm = deps.config.sip.domain ?? hostname();
  }

  /** Opens the SIP port (rejects when it is taken), restores bindings, starts sources and AMI. */
  async start(): Promise<void> {
    const { config, catalog } = this.#deps;
    const extensions = this.#extensions();
    const endpoint = new SipEndpoint({
      host: config.sip.listen,
      port: config.sip.port,
      transports: config.sip.transports,
      log: this.#log.child({ part: "sip" }),
    });
    await endpoint.start();
    this.#endpoint = endpoint;
    const auth = new DigestAuthenticator(
      { endpoint, log: this.#log.child({ part: "auth" }) },
      { realm: this.#realm, extensions },
    );
    this.#registrar = new Registrar(
      { endpoint, auth, catalog, log: this.#log.child({ part: "registrar" }) },
      {
        minExpiresSec: config.sip.minExpiresSeconds,
        maxExpiresSec: config.sip.maxExpiresSeconds,
      },
    );
    await this.#registrar.start();
    if (config.sip.qualifySeconds > 0) {
      this.#qualifier = new ContactQualifier(
        { endpoint, registrar: this.#registrar, log: this.#log.child({ part: "qualify" }) },
        { domain: this.#realm, intervalMs: config.sip.qualifySeconds * 1000 },
      );
      this.#qualifier.start();
    }
    this.#proxy = new CallProxy({
      endpoint,
      registrar: this.#registrar,
      auth,
      log: this.#log.child({ part: "proxy" }),
    });
    await this.#proxy.start();
    this.#mwi = new MwiNotifier(
      { endpoint, registrar: this.#registrar, auth, log: this.#log.child({ part: "mwi" }) },
      {
        domain: this.#realm,
        extensions: Object.entries(config.extensions).map(([number, e]) => ({
          number,
          mwi: e.mwi,
          ...(e.mailbox === undefined ? {} : { mailbox: e.mailbox }),
        })),
        minExpiresSec: config.sip.minExpiresSeconds,
        maxExpiresSec: config.sip.maxExpiresSeconds,
      },
    );
    await this.#mwi.start();
    if (config.ami !== undefined) {
      this.#ami = new AmiClient({
        host: config.ami.host,
        port: config.ami.port,
        username: config.ami.user,
        secret: resolveSecret(config.ami.secret, this.#deps.env),
        log: this.#log.child({ part: "ami" }),
      });
      this.#bridge = new AsteriskBridge(
        this.#ami,
        {
          mwi: config.ami.mwi,
          spoolDir: config.ami.spoolDir,
          voicemailContext: config.ami.voicemailContext,
          originateContext: config.ami.originateContext,
          channelTech: config.ami.channelTech,
        },
        this.#log.child({ part: "asterisk" }),
      );
      this.#bridge.start();
      this.#ami.start();
    }
    this.#startSources();
  }

  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    await Promise.allSettled([...this.#sources.values()].map((s) => s.stop()));
    this.#sources.clear();
    this.#bridge?.stop();
    await this.#ami?.stop();
    await this.#mwi?.stop(); // terminating NOTIFYs go out while the endpoint still runs
    await this.#proxy?.stop();
    this.#qualifier?.stop();
    await this.#registrar?.stop();
    await this.#endpoint?.stop();
    this.#bridge = undefined;
    this.#ami = undefined;
    this.#registrar = undefined;
    this.#qualifier = undefined;
    this.#proxy = undefined;
    this.#mwi = undefined;
    this.#endpoint = undefined;
  }

  /** What the dashboard, the CLI and health() show. Cheap, no I/O. */
  status(): PhonesStatus {
    return phonesStatus({
      config: this.#deps.config,
      realm: this.#realm,
      port: this.#endpoint?.port ?? this.#deps.config.sip.port,
      registrar: this.#registrar,
      qualifier: this.#qualifier,
      proxy: this.#proxy,
      mwi: this.#mwi,
      sources: this.#sources,
      ami: this.#ami,
      bridge: this.#bridge,
      problems: this.#endpoint?.problems.total() ?? 0,
    });
  }

  /**
   * Forces an extension's lamp on or off (to test a phone's lamp), or back to its mailbox's state
   * (undefined). False for an unknown extension.
   */
  setLamp(extension: string, lamp: LampOverride): boolean {
    return this.#mwi?.lampOverride(extension, lamp) ?? false;
  }

  /**
   * Turns an extension's lamp off. When its mailbox is an imap source with `markReadOnClear`,
   * that clears it at the source: the genuine unread notices are marked read and the lamp
   * follows the mailbox again (so the next voicemail lights it; every extension sharing the
   * mailbox goes dark too). Otherwise the lamp is forced off. Undefined for an unknown
   * extension; rejects with E_PEER_DOWN when the source is not connected (the lamp is left alone).
   */
  async lampOff(extension: string): Promise<LampOffResult | undefined> {
    const entry = this.#deps.config.extensions[extension];
    if (entry === undefined) return undefined;
    const mailbox = entry.mailbox;
    const config = mailbox === undefined ? undefined : this.#deps.config.voicemail[mailbox];
    const source = mailbox === undefined ? undefined : this.#sources.get(mailbox);
    if (mailbox && config?.source === "imap" && config.markReadOnClear && source) {
      if (!isClearable(source)) throw new Error(`voicemail source ${mailbox} cannot mark read`);
      const marked = await source.markRead();
      this.setLamp(extension, undefined);
      this.#log.info(
        { extension, source: mailbox, marked },
        `lamp of ${extension} cleared: ${marked} voicemail notice(s) in ${mailbox} marked read`,
      );
      return { kind: "marked-read", mailbox, marked };
    }
    return this.setLamp(extension, "off") ? { kind: "forced" } : undefined;
  }

  /**
   * Click-to-call through Asterisk: rings extension `from` and, when it answers, dials `to`
   * (AMI Originate, Async). Rejects with E_USAGE when no Asterisk is configured or `from` is not
   * an extension here, with a RangeError for a number that is not digits, *, # or +.
   */
  async call(from: string, to: string): Promise<OriginateResult> {
    if (!this.#bridge)
      throw new HearthError(
        "E_USAGE",
        "click-to-call goes through Asterisk, and none is configured",
        {
          fix: "Set pbx.ami to your Asterisk/FreePBX manager login (see the README's Phones section).",
        },
      );
    if (this.#deps.config.extensions[from] === undefined)
      throw new HearthError("E_USAGE", `no extension ${from} in the config`, {
        fix: "Call from one of the extensions under pbx.extensions.",
      });
    const result = await this.#bridge.originate({ from, to });
    this.#log.info(
      { from, to, isSuccess: result.isSuccess, reason: result.reason },
      `click-to-call ${from} → ${to}: ${result.isSuccess ? "answered" : "not answered"}`,
    );
    return result;
  }

  /** ok, or degraded naming the first source or link that is down. */
  health(): ServiceHealth {
    return this.status().health;
  }

  #extensions(): Extension[] {
    return Object.entries(this.#deps.config.extensions).map(([number, e]) => ({
      number,
      name: e.name,
      password: resolveSecret(e.password, this.#deps.env),
    }));
  }

  #startSources(): void {
    const { config } = this.#deps;
    const byMailbox = extensionsByMailbox(config.extensions);
    for (const [name, entry] of Object.entries(config.voicemail)) {
      const log = this.#log.child({ part: "voicemail", source: name });
      const source: VoicemailSource =
        entry.source === "asterisk"
          ? new AsteriskMailboxSource(
              name,
              entry.mailbox,
              this.#ami!, // the schema requires pbx.ami for an asterisk source
              {
                voicemailContext: config.ami?.voicemailContext,
                pollMs: entry.pollMinutes * 60_000,
              },
              log,
            )
          : createVoicemailSource(name, this.#resolved(entry), { log });
      this.#sources.set(name, source);
      const extensions = byMailbox.get(name) ?? [];
      this.#unsubscribe.push(
        source.onChange((state) => this.#onMailbox(name, entry.source, extensions, state)),
      );
      const known = source.state();
      if (known) this.#mwi?.setState(name, known);
      void source
        .start()
        .catch((err: unknown) => log.error({ err }, `voicemail source ${name} could not start`));
    }
  }

  #onMailbox(name: string, kind: string, extensions: string[], state: MailboxState): void {
    this.#mwi?.setState(name, state);
    this.#log.info(
      { source: name, new: state.new, old: state.old, extensions },
      `voicemail ${name}: ${state.new} new, ${state.old} old`,
    );
    // Counts read from Asterisk are not pushed back to it (they would echo).
    if (kind !== "asterisk" && this.#bridge)
      for (const extension of extensions) void this.#bridge.setMailbox(extension, state);
  }

  #resolved(
    entry: Exclude<PbxConfig["voicemail"][string], { source: "asterisk" }>,
  ): ResolvedVoicemailSourceConfig {
    const env = this.#deps.env;
    switch (entry.source) {
      case "imap": {
        const { password, accessToken, ...rest } = entry;
        // An access token is read at every connection (it is renewed outside hearth); the
        // schema guarantees exactly one of the two.
        return accessToken
          ? { ...rest, accessToken: () => resolveSecret(accessToken, env) }
          : { ...rest, password: resolveSecret(password!, env) };
      }
      case "http":
        return {
          ...entry,
          token: entry.token === undefined ? undefined : resolveSecret(entry.token, env),
        };
      case "command":
        return entry;
    }
  }
}
