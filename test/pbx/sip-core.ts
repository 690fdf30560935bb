import type { Logger } from "pino";
import {
  DigestAuthenticator,
  type DigestAuthOptions,
  type Extension,
} from "../../pbx/digest-auth/digest-authenticator.js";
import { Registrar, type RegistrarOptions } from "../../pbx/registrar/registrar.js";
import { SipEndpoint } from "../../pbx/sip/sip-endpoint.js";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";

/** The parts every pbx test harness stands on. */
export interface SipCore {
  endpoint: SipEndpoint;
  auth: DigestAuthenticator;
  registrar: Registrar;
}

/**
 * A started SIP endpoint on 127.0.0.1:`port` (UDP and TCP), digest authentication for
 * `extensions` in realm hearth.test, and a started registrar on `catalog` with a 1 s minimum
 * expiry (tests register briefly). The harnesses add what they test on top.
 */
export async function startSipCore(options: {
  port: number;
  catalog: CatalogNamespace;
  log: Logger;
  extensions: readonly Extension[];
  realm?: string;
  auth?: Partial<DigestAuthOptions>;
  registrar?: Partial<RegistrarOptions>;
}): Promise<SipCore> {
  const { log } = options;
  const endpoint = new SipEndpoint({
    host: "127.0.0.1",
    port: options.port,
    transports: ["udp", "tcp"],
    log,
  });
  await endpoint.start();
  const auth = new DigestAuthenticator(
    { endpoint, log },
    { realm: options.realm ?? "hearth.test", extensions: options.extensions, ...options.auth },
  );
  const registrar = new Registrar(
    { endpoint, auth, catalog: options.catalog, log },
    { minExpiresSec: 1, ...options.registrar },
  );
  await registrar.start();
  return { endpoint, auth, registrar };
}
