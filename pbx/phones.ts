import { hostname } from "node:os";
import type { Logger } from "pino";
import { resolveSecret } from "../services/config/index.js";
import type { ServiceHealth } from "../services/host/service.js";
import type { CatalogNamespace } from "../storage/catalog/catalog-namespace.js";
import { AmiClient } from "./asterisk/ami-client.js";
import { AsteriskBridge } from "./asterisk/asterisk-bridge.js";
import { AsteriskMailboxSource } from "./asterisk/asterisk-mailbox-source.js";
import type { PbxConfig } from "./config-schema.js";
import { DigestAuthenticator, type Extension } from "./digest-auth/digest-authenticator.js";
import { MwiNotifier, type LampOverride } from "./mwi/index.js";
import { CallProxy } from "./proxy/call-proxy.js";
import { Registrar } from "./registrar/registrar.js";
import { SipEndpoint } from "./sip/sip-endpoint.js";
import {
  createVoicemailSource,
  extensionsByMailbox,
  type MailboxState,
  type ResolvedVoicemailSourceConfig,
  type VoicemailSource,
} from "./voicemail/index.js";
import { phonesStatus, type PhonesStatus } from "./phones-status.js";

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
    await this.#registrar?.stop();
    await this.#endpoint?.stop();
    this.#bridge = undefined;
    this.#ami = undefined;
    this.#registrar = undefined;
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
      case "imap":
        return { ...entry, password: resolveSecret(entry.password, env) };
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
