import type { Service, ServiceContext, ServiceHealth } from "../services/host/service.js";
import type { PbxConfig } from "./config-schema.js";
import { pbxRoutes } from "./pbx-routes.js";
import type { Phones } from "./phones.js";

/**
 * The phone service (catalog namespace `pbx`): SIP registrar on UDP/TCP, voicemail sources that
 * light the phones' lamps, and the optional Asterisk bridge. A taken SIP port rejects start (the
 * host retries with backoff and shows why); a source or AMI link that is down makes it degraded,
 * never failed, because phones keep registering and calling meanwhile.
 */
export class PbxService implements Service<PbxConfig> {
  readonly name = "pbx";
  #phones: Phones | undefined;

  async start(ctx: ServiceContext<PbxConfig>): Promise<void> {
    // Loaded here, not at hearth's start: the SIP stack and the voicemail sources cost memory a
    // box without phones should not pay (the service is off until extensions are configured).
    const { Phones } = await import("./phones.js");
    const phones = new Phones({ config: ctx.config, catalog: ctx.catalog, log: ctx.log });
    try {
      await phones.start();
    } catch (err) {
      await phones.stop();
      throw err;
    }
    this.#phones = phones;
    pbxRoutes(ctx.http, phones);
    const status = phones.status();
    ctx.log.info(
      {
        port: status.port,
        transports: status.transports,
        extensions: status.extensions.length,
        sources: status.sources.length,
      },
      `SIP registrar listening on port ${status.port} (${status.transports.join(", ")}) for ${status.extensions.length} extension(s), domain ${status.domain}`,
    );
  }

  async stop(): Promise<void> {
    await this.#phones?.stop();
    this.#phones = undefined;
  }

  health(): ServiceHealth {
    return this.#phones?.health() ?? { state: "failed", reason: "not started" };
  }
}
