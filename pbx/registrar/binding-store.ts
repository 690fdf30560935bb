import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import { storedBindingSchema, type ContactBinding } from "./contact-binding.js";

const PREFIX = "binding/";

/**
 * Keeps registrations in the catalog so a restart does not make every phone unreachable until
 * its next refresh.
 *
 * Write policy (the catalog may live on an SD card): a binding is written when it appears,
 * disappears, or moves (a new source address) and when its expiry moves *more than `slackMs`
 * past* the stored one (or before it). A new Call-ID alone is not written: after a restart the
 * stored Call-ID only decides whether the phone's next REGISTER counts as a new session, and a
 * stale one makes it a new session, which is what a restart is anyway (RFC 3261 §10.3 orders
 * CSeqs only within one Call-ID). Phones that pick a new Call-ID for every refresh (sipp does)
 * would otherwise cost one write per refresh. A phone refreshing every 60 s therefore
 * costs one write per `slackMs` instead of one a minute. The stored expiry thus lags the live
 * one by at most `slackMs`, so after a restart a binding is restored until stored expiry +
 * slack and dropped after it.
 *
 * Why a restored binding is good enough: the phone keeps its own registration state and does
 * not know we restarted; its Contact and source address do not change because we did, and it
 * refreshes before its own expiry, which replaces whatever we restored. The only cost of the
 * lag is that a phone that died silently stays listed for at most `slackMs` longer. (A TCP
 * phone's connection does not survive the restart; requests to it dial its address until it
 * reconnects at its next refresh.)
 */
export class BindingStore {
  readonly #catalog: CatalogNamespace;
  readonly #slackMs: number;
  readonly #log: Logger;
  /** The expiry last written for each key. */
  readonly #stored = new Map<string, { expiresAt: number; source: string }>();
  readonly #pending = new Set<Promise<void>>();

  constructor(catalog: CatalogNamespace, slackMs: number, log: Logger) {
    this.#catalog = catalog;
    this.#slackMs = slackMs;
    this.#log = log;
  }

  /** `binding/<ext>/<first 16 hex of SHA-256 of the Contact URI>`. */
  static key(extension: string, contact: string): string {
    return `${PREFIX}${extension}/${createHash("sha256").update(contact).digest("hex").slice(0, 16)}`;
  }

  /**
   * The stored bindings still possibly alive at `now`, with their expiry set to stored + slack;
   * lapsed and unreadable ones are deleted.
   */
  async load(now = Date.now()): Promise<ContactBinding[]> {
    const live: ContactBinding[] = [];
    const dead: string[] = [];
    for await (const [key, value] of this.#catalog.entries({ prefix: PREFIX })) {
      const parsed = storedBindingSchema.safeParse(value);
      if (!parsed.success || BindingStore.key(parsed.data.extension, parsed.data.contact) !== key) {
        this.#log.warn({ key }, "dropped an unreadable stored SIP binding");
        dead.push(key);
        continue;
      }
      const binding: ContactBinding = parsed.data;
      if (binding.expiresAt + this.#slackMs <= now) {
        dead.push(key);
        continue;
      }
      this.#stored.set(key, identity(binding));
      live.push({ ...binding, expiresAt: binding.expiresAt + this.#slackMs });
    }
    if (dead.length > 0)
      await this.#catalog.batch(dead.map((key) => ({ type: "del" as const, key })));
    return live;
  }

  /** Writes `binding` if the policy above says so; resolves once the write is acknowledged. */
  save(binding: ContactBinding): Promise<void> {
    const key = BindingStore.key(binding.extension, binding.contact);
    const stored = this.#stored.get(key);
    const next = identity(binding);
    const unchanged =
      stored !== undefined &&
      stored.source === next.source &&
      next.expiresAt >= stored.expiresAt &&
      next.expiresAt - stored.expiresAt <= this.#slackMs;
    if (unchanged) return Promise.resolve();
    this.#stored.set(key, next);
    return this.#track(this.#catalog.put(key, binding));
  }

  remove(binding: ContactBinding): Promise<void> {
    const key = BindingStore.key(binding.extension, binding.contact);
    this.#stored.delete(key);
    return this.#track(this.#catalog.del(key));
  }

  /** Resolves when every write issued so far has landed (or failed and been logged). */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  #track(write: Promise<void>): Promise<void> {
    const tracked = write.catch((err: unknown) => {
      // The binding stays live in memory; only its survival across a restart is at risk.
      this.#log.warn(
        { err },
        "could not store a SIP binding in the catalog; it will not survive a restart",
      );
    });
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
    return tracked;
  }
}

function identity(binding: ContactBinding) {
  const { protocol, address, port } = binding.source;
  return {
    expiresAt: binding.expiresAt,
    source: `${protocol} ${address}:${port}`,
  };
}
