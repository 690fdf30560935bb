import pino from "pino";
import { CallProxy, type CallProxyOptions } from "../../../pbx/proxy/call-proxy.js";
import type { Registrar } from "../../../pbx/registrar/registrar.js";
import type { SipEndpoint } from "../../../pbx/sip/sip-endpoint.js";
import { Catalog } from "../../../storage/catalog/catalog.js";
import {
  freeSipPort,
  isUdpBound,
  runSipp,
  type SippOptions,
  type SippRun,
} from "../../fixtures/sip/sipp.js";
import { eventually } from "../registrar/registrar-harness.js";
import { startSipCore } from "../sip-core.js";
import { TempCatalogDir } from "../../storage/catalog/temp-catalog-dir.js";

export const EXTENSIONS = [
  { number: "1001", name: "Kitchen", password: "kitchen-secret" },
  { number: "1002", name: "Office", password: "office-secret" },
  { number: "1003", name: "Garage", password: "garage-secret" },
];

/** sipp options that make a UAC call as 1001 with its right password. */
export const AS_KITCHEN = {
  user: "1001",
  password: "kitchen-secret",
  keys: { caller: "1001" },
} as const;

/**
 * hearth's phone side as the pbx service will wire it: endpoint, authenticator, registrar and
 * call proxy on 127.0.0.1 and a free port (UDP and TCP), bindings in a temp catalog.
 */
export class ProxyHarness {
  readonly temp = new TempCatalogDir();
  readonly log = pino({ level: process.env.HEARTH_TEST_LOG ?? "silent" });
  catalog: Catalog | undefined;
  endpoint!: SipEndpoint;
  registrar!: Registrar;
  proxy!: CallProxy;
  port = 0;

  async start(options: CallProxyOptions = {}): Promise<void> {
    await this.temp.create();
    this.catalog = await Catalog.open({ dir: this.temp.path() });
    this.port = await freeSipPort();
    const core = await startSipCore({
      port: this.port,
      catalog: this.catalog.namespace("pbx"),
      log: this.log,
      extensions: EXTENSIONS,
      auth: { authFailureLimit: 1000 },
    });
    this.endpoint = core.endpoint;
    this.registrar = core.registrar;
    const auth = core.auth;
    this.proxy = new CallProxy(
      { endpoint: this.endpoint, registrar: this.registrar, auth, log: this.log },
      options,
    );
    await this.proxy.start();
  }

  async stop(): Promise<void> {
    await this.proxy?.stop();
    await this.registrar?.stop();
    await this.endpoint?.stop();
    await this.catalog?.close();
    await this.temp.remove();
  }

  /** Runs a UAC scenario against hearth. */
  uac(scenario: string, options: Omit<SippOptions, "port"> = {}): Promise<SippRun> {
    return runSipp(scenario, { port: this.port, ...options });
  }

  /**
   * Registers `ext` from a free port with sipp, then starts a sipp UAS scenario on that same
   * port, so the binding's contact and source are the UAS. Resolves once the UAS listens; the
   * returned promise is its whole run.
   */
  async phone(
    ext: string,
    scenario: string,
    options: Omit<SippOptions, "port" | "localPort"> = {},
  ): Promise<{ port: number; run: Promise<SippRun> }> {
    const port = await freeSipPort();
    const password = EXTENSIONS.find((e) => e.number === ext)?.password ?? "";
    const registered = await runSipp("register.xml", {
      port: this.port,
      localPort: port,
      service: ext,
      user: ext,
      password,
      keys: { contact_user: ext, expires: "300" },
    });
    if (!registered.ok) throw new Error(`sipp could not register ${ext}: ${registered.output}`);
    const run = runSipp(scenario, { port: 0, localPort: port, service: ext, ...options });
    await eventually(() => isUdpBound(port), `the sipp UAS for ${ext} listens on ${port}`);
    return { port, run };
  }
}
