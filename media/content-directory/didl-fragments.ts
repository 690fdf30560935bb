import type { LibraryItem } from "../library/index.js";
import { xmlEscape } from "../soap/index.js";
import type { DidlWriter } from "./didl-writer.js";

/** Distinct writer variants remembered before the table starts over (base URL × filter × profile). */
const MAX_VARIANTS = 64;

/**
 * Items rendered as DIDL-Lite and already escaped for the SOAP envelope, so a Browse page of items
 * seen before costs a concatenation: no object built, nothing rendered, nothing escaped (those were
 * most of a page's CPU and garbage, measured). Keyed by item id and the writer's variant (base URL,
 * Filter, client profile); bounded by characters, not entries. Everything is dropped when the
 * library's SystemUpdateID moves (any change clients can see), and a fragment rendered while an
 * apply committed is not kept. Eviction is oldest-first, not least-recently-used: a hit then
 * costs one Map lookup and no re-insertion (LRU bookkeeping on 50 hits a page showed in profiles),
 * and the default budget holds a whole library anyway. Only items: a container's DIDL depends on counts and on what the
 * client browsed before (MusicFolderHints), and pages of containers are short.
 */
export class DidlFragments {
  readonly #maxChars: number;
  readonly #fragments = new Map<string, string>();
  readonly #variants = new Map<string, number>();
  #chars = 0;
  #generation = -1;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  /** The escaped fragment of item `id` for `writer`, if kept at library generation `generation`. */
  get(writer: DidlWriter, generation: number, id: string): string | undefined {
    if (generation !== this.#generation) return undefined;
    return this.#fragments.get(this.#key(writer, id));
  }

  /** Renders `item`, escapes it for the envelope and keeps it when `generation` is still current. */
  render(writer: DidlWriter, item: LibraryItem, generation: number, current: number): string {
    const fragment = xmlEscape(writer.item(item));
    if (generation !== current) return fragment;
    if (generation !== this.#generation) {
      this.#clear();
      this.#generation = generation;
    }
    this.#keep(this.#key(writer, item.id), fragment);
    return fragment;
  }

  #keep(key: string, fragment: string): void {
    const old = this.#fragments.get(key);
    if (old !== undefined) {
      this.#fragments.delete(key);
      this.#chars -= old.length + KEY_OVERHEAD;
    }
    this.#fragments.set(key, fragment);
    this.#chars += fragment.length + KEY_OVERHEAD;
    for (const [oldest, text] of this.#fragments) {
      if (this.#chars <= this.#maxChars) break;
      this.#fragments.delete(oldest);
      this.#chars -= text.length + KEY_OVERHEAD;
    }
  }

  #clear(): void {
    this.#fragments.clear();
    this.#chars = 0;
  }

  #key(writer: DidlWriter, id: string): string {
    let variant = this.#variants.get(writer.variant);
    if (variant === undefined) {
      if (this.#variants.size >= MAX_VARIANTS) {
        this.#variants.clear();
        this.#clear();
      }
      variant = this.#variants.size;
      this.#variants.set(writer.variant, variant);
    }
    return `${variant}\u0000${id}`;
  }
}

/** What a cache entry costs beyond its text: the key and the map's bookkeeping, roughly. */
const KEY_OVERHEAD = 64;
