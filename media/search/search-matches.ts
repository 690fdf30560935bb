import type { ChildSort, LibraryObject } from "../library/index.js";
import { childSort } from "../library/child-sort.js";

/** Fewer kept objects than this are never worth a compaction sort. */
const MIN_KEPT = 256;

/**
 * The matches of one Search, counted, with only what the requested page can still need: the
 * first `start + count` in result order. Kept objects are sorted and cut whenever they reach
 * twice that, so memory stays O(start + count) however many objects match (count 0 = all, which
 * keeps every match: the answer holds them all anyway). Sorting is stable, so the page is the
 * one a full sort gives.
 */
export class SearchMatches {
  readonly #sort: readonly ChildSort[];
  readonly #start: number;
  readonly #limit: number;
  #kept: LibraryObject[] = [];
  #total = 0;

  /** Order: `sort`, then dc:title, then the order objects were added. */
  constructor(sort: readonly ChildSort[], start: number, count: number) {
    const hasTitle = sort.some((term) => term.property === "dc:title");
    this.#sort = hasTitle ? sort : [...sort, { property: "dc:title" }];
    this.#start = wholeNumber(start);
    const pageSize = wholeNumber(count);
    this.#limit = pageSize === 0 ? Infinity : this.#start + pageSize;
  }

  add(object: LibraryObject): void {
    this.#total += 1;
    this.#kept.push(object);
    if (this.#kept.length >= Math.max(2 * this.#limit, MIN_KEPT)) {
      this.#kept = childSort(this.#kept, this.#sort).slice(0, this.#limit);
    }
  }

  /** The requested page and TotalMatches. */
  result(): { objects: LibraryObject[]; total: number } {
    const sorted = childSort(this.#kept, this.#sort);
    return { objects: sorted.slice(this.#start, this.#limit), total: this.#total };
  }
}

function wholeNumber(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
