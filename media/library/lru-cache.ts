/**
 * A least-recently-used map bounded by total weight (child ids for child lists, 1 per record for
 * objects), so memory stays flat however large the library: on a 1 GB box the cache is a budget,
 * not a copy of the catalog. A single value heavier than the budget is still kept, alone.
 */
export class LruCache<V> {
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  readonly #entries = new Map<string, { value: V; weight: number }>();
  #weight = 0;

  constructor(maxWeight: number, weigh: (value: V) => number = () => 1) {
    this.#maxWeight = maxWeight;
    this.#weigh = weigh;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const weight = this.#weigh(value);
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    for (const [oldest, entry] of this.#entries) {
      if (this.#weight <= this.#maxWeight || oldest === key) break;
      this.#entries.delete(oldest);
      this.#weight -= entry.weight;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  /** Deletes every key for which `isStale` is true. */
  deleteWhere(isStale: (key: string) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (isStale(key)) this.delete(key);
  }
}
