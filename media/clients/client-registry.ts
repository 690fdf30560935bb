import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import { detectProfile, profileById, type ClientProfile } from "./client-profiles.js";

/** A control point hearth has heard from since it started. */
export interface SeenClient {
  address: string;
  userAgent: string;
  /** The profile it gets: the override when set, else the detected one. */
  profile: ClientProfile;
  detectedProfileId: string;
  overrideProfileId: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
  requests: number;
}

/** Clients remembered at most; the least recently seen is forgotten first. */
const MAX_CLIENTS = 256;
const OVERRIDE_PREFIX = "override/";

/**
 * Which control points talk to the server, and which profile each gets. Sightings live in memory
 * only (a TV polling Browse must not write to the SD card); a user's profile override is stored
 * in the catalog (namespace `media`, keys `clients/override/<address>`), written only when changed.
 */
export class ClientRegistry {
  readonly #ns: CatalogNamespace;
  readonly #seen = new Map<string, SeenClient>();
  readonly #overrides = new Map<string, string>();

  private constructor(ns: CatalogNamespace) {
    this.#ns = ns;
  }

  /** Loads the stored overrides. `ns` is the media namespace's `clients` sub-namespace. */
  static async open(ns: CatalogNamespace): Promise<ClientRegistry> {
    const registry = new ClientRegistry(ns);
    for await (const [key, value] of ns.entries<string>({ prefix: OVERRIDE_PREFIX })) {
      if (typeof value === "string" && profileById(value) !== undefined)
        registry.#overrides.set(key.slice(OVERRIDE_PREFIX.length), value);
    }
    return registry;
  }

  /** Notes a request and returns the profile to serve it with. Cheap: a map lookup. */
  observe(address: string, headers: Record<string, string | string[] | undefined>): ClientProfile {
    const userAgent = headerText(headers["user-agent"]);
    const key = `${address}\u0000${userAgent}`;
    const now = Date.now();
    let client = this.#seen.get(key);
    if (client === undefined) {
      const detected = detectProfile(headers);
      const overrideId = this.#overrides.get(address) ?? null;
      client = {
        address,
        userAgent,
        profile: (overrideId === null ? undefined : profileById(overrideId)) ?? detected,
        detectedProfileId: detected.id,
        overrideProfileId: overrideId,
        firstSeenAt: now,
        lastSeenAt: now,
        requests: 0,
      };
      if (this.#seen.size >= MAX_CLIENTS)
        this.#seen.delete(this.#seen.keys().next().value as string);
    } else {
      // Re-inserted at the end: the map's order is least recently seen first.
      this.#seen.delete(key);
    }
    client.lastSeenAt = now;
    client.requests += 1;
    this.#seen.set(key, client);
    return client.profile;
  }

  /** Every client seen, most recent first. */
  list(): SeenClient[] {
    return [...this.#seen.values()].reverse().map((c) => ({ ...c }));
  }

  /**
   * Gives every client at `address` the profile `profileId` from now on (null: back to detection).
   * Throws RangeError for an unknown profile id.
   */
  async setOverride(address: string, profileId: string | null): Promise<void> {
    if (profileId !== null && profileById(profileId) === undefined)
      throw new RangeError(`no client profile "${profileId}"`);
    if ((this.#overrides.get(address) ?? null) === profileId) return;
    if (profileId === null) {
      await this.#ns.del(`${OVERRIDE_PREFIX}${address}`);
      this.#overrides.delete(address);
    } else {
      await this.#ns.put(`${OVERRIDE_PREFIX}${address}`, profileId);
      this.#overrides.set(address, profileId);
    }
    for (const client of this.#seen.values()) {
      if (client.address !== address) continue;
      client.overrideProfileId = profileId;
      client.profile =
        (profileId === null ? undefined : profileById(profileId)) ??
        (profileById(client.detectedProfileId) as ClientProfile);
    }
  }
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value.join(", ") : (value ?? "")).slice(0, 512);
}
