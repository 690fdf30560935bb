import pino from "pino";
import {
  MwiNotifier,
  type MwiExtension,
  type MwiExtensionStatus,
  type MwiNotifierOptions,
} from "../../../pbx/mwi/index.js";
import type { Registrar } from "../../../pbx/registrar/registrar.js";
import type { SipEndpoint } from "../../../pbx/sip/sip-endpoint.js";
import { Catalog } from "../../../storage/catalog/catalog.js";
import { freeSipPort, runSipp, type SippOptions, type SippRun } from "../../fixtures/sip/sipp.js";
import { TempCatalogDir } from "../../storage/catalog/temp-catalog-dir.js";
import { startSipCore } from "../sip-core.js";

export const DOMAIN = "hearth.test";

/** Phones of the test household, with the way each is told about voicemail. */
export const PHONES = [
  { number: "1001", name: "Kitchen", password: "kitchen-secret", mwi: "subscribe", mailbox: "gv" },
  { number: "1002", name: "Office", password: "office-secret", mwi: "unsolicited", mailbox: "gv" },
  { number: "1003", name: "Hall", password: "hall-secret", mwi: "subscribe", mailbox: "gv" },
] as const;

/** sipp options that authenticate as `number`. */
export function credentials(number: string): { service: string; user: string; password: string } {
  const phone = PHONES.find((p) => p.number === number);
  return { service: number, user: number, password: phone?.password ?? "" };
}

/**
 * SIP endpoint, digest authentication, registrar and MWI notifier on 127.0.0.1 and a free port
 * (UDP and TCP), the way the pbx service wires them, on a catalog in a temp folder.
 */
export class MwiHarness {
  readonly #temp = new TempCatalogDir();
  readonly log = pino({ level: process.env.HEARTH_TEST_LOG ?? "silent" });
  #catalog: Catalog | undefined;
  endpoint: SipEndpoint | undefined;
  registrar: Registrar | undefined;
  notifier: MwiNotifier | undefined;
  port = 0;

  async start(options: Partial<MwiNotifierOptions> = {}): Promise<void> {
    await this.#temp.create();
    this.#catalog = await Catalog.open({ dir: this.#temp.path() });
    this.port = await freeSipPort();
    const core = await startSipCore({
      port: this.port,
      catalog: this.#catalog.namespace("pbx"),
      log: this.log,
      extensions: PHONES,
      realm: DOMAIN,
    });
    this.endpoint = core.endpoint;
    this.registrar = core.registrar;
    const auth = core.auth;
    const extensions: MwiExtension[] = PHONES.map(({ number, mwi, mailbox }) => ({
      number,
      mwi,
      mailbox,
    }));
    this.notifier = new MwiNotifier(
      { endpoint: this.endpoint, registrar: this.registrar, auth, log: this.log },
      { domain: DOMAIN, extensions, minExpiresSec: 1, ...options },
    );
    await this.notifier.start();
  }

  async stop(): Promise<void> {
    await this.notifier?.stop();
    await this.registrar?.stop();
    await this.endpoint?.stop();
    await this.#catalog?.close();
    await this.#temp.remove();
  }

  /** The notifier's status line for one extension. */
  status(number: string): MwiExtensionStatus {
    const line = this.notifier!.status().find((s) => s.number === number);
    if (line === undefined) throw new Error(`no MWI status for ${number}`);
    return line;
  }

  sipp(scenario: string, options: Omit<SippOptions, "port"> = {}): Promise<SippRun> {
    return runSipp(scenario, { port: this.port, ...options });
  }
}
