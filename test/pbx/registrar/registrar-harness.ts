import pino from "pino";
import type { SipEndpoint } from "../../../pbx/sip/sip-endpoint.js";
import type { Registrar, RegistrarOptions } from "../../../pbx/registrar/registrar.js";
import type { DigestAuthOptions } from "../../../pbx/digest-auth/digest-authenticator.js";
import { Catalog } from "../../../storage/catalog/catalog.js";
import type { CatalogNamespace } from "../../../storage/catalog/catalog-namespace.js";
import { freeSipPort, runSipp, type SippOptions, type SippRun } from "../../fixtures/sip/sipp.js";
import { TempCatalogDir } from "../../storage/catalog/temp-catalog-dir.js";
import { startSipCore } from "../sip-core.js";

/** Registrar and authentication options together, as a test sets them. */
export type HarnessOptions = Partial<RegistrarOptions & DigestAuthOptions>;

export const EXTENSIONS = [
  { number: "1001", name: "Kitchen", password: "kitchen-secret" },
  { number: "1002", name: "Office", password: "office-secret" },
];

/** Counts the writes that reach the catalog through one namespace. */
export interface CountingCatalog extends CatalogNamespace {
  writes: number;
}

function countWrites(inner: CatalogNamespace): CountingCatalog {
  const counting: CountingCatalog = {
    writes: 0,
    name: inner.name,
    get: (key) => inner.get(key),
    getMany: (keys) => inner.getMany(keys),
    put: (key, value) => (counting.writes++, inner.put(key, value)),
    del: (key) => (counting.writes++, inner.del(key)),
    batch: (ops) => ((counting.writes += ops.length), inner.batch(ops)),
    entries: (range) => inner.entries(range),
    entryPages: (range, pageSize) => inner.entryPages(range, pageSize),
    keys: (range) => inner.keys(range),
    clear: (range) => inner.clear(range),
    sub: (name) => inner.sub(name),
    migrate: (migrations) => inner.migrate(migrations),
  };
  return counting;
}

/**
 * A registrar on 127.0.0.1 and a free port, UDP and TCP, on a catalog in a temp folder. `restart`
 * stops it and starts a new one on the same catalog folder (the catalog is closed and reopened).
 */
export class RegistrarHarness {
  readonly temp = new TempCatalogDir();
  catalog: Catalog | undefined;
  endpoint: SipEndpoint | undefined;
  registrar: Registrar | undefined;
  namespace: CountingCatalog | undefined;
  port = 0;
  readonly log = pino({ level: process.env.HEARTH_TEST_LOG ?? "silent" });

  async start(options: HarnessOptions = {}): Promise<void> {
    if (this.catalog === undefined) {
      await this.temp.create();
      this.catalog = await Catalog.open({ dir: this.temp.path() });
    }
    this.port ||= await freeSipPort();
    this.namespace = countWrites(this.catalog.namespace("pbx"));
    const core = await startSipCore({
      port: this.port,
      catalog: this.namespace,
      log: this.log,
      extensions: EXTENSIONS,
      auth: options,
      registrar: options,
    });
    this.endpoint = core.endpoint;
    this.registrar = core.registrar;
  }

  /** Stops registrar and endpoint, closes the catalog, reopens it and starts again. */
  async restart(options: HarnessOptions = {}): Promise<void> {
    await this.stopServer();
    await this.catalog?.close();
    this.catalog = await Catalog.open({ dir: this.temp.path() });
    await this.start(options);
  }

  async stopServer(): Promise<void> {
    await this.registrar?.stop();
    await this.endpoint?.stop();
  }

  async stop(): Promise<void> {
    await this.stopServer();
    await this.catalog?.close();
    this.catalog = undefined;
    await this.temp.remove();
  }

  sipp(scenario: string, options: Omit<SippOptions, "port"> = {}): Promise<SippRun> {
    return runSipp(scenario, { port: this.port, ...options });
  }

  /** Registers `ext` with its right password through sipp. */
  register(
    ext: string,
    contactUser: string,
    expires: number,
    transport: "udp" | "tcp" = "udp",
  ): Promise<SippRun> {
    const password = EXTENSIONS.find((e) => e.number === ext)?.password ?? "";
    return this.sipp("register.xml", {
      transport,
      service: ext,
      user: ext,
      password,
      keys: { contact_user: contactUser, expires: String(expires) },
    });
  }
}

/** Polls `condition` until true; throws `what` after a generous deadline. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
