import type { LibraryUpdate } from "../library/index.js";
import { EventPublisher } from "./event-publisher.js";
import type { EventPublisherOptions } from "./event-types.js";

/** ContainerUpdateIDs pairs one event carries at most; past that the oldest changes go. */
export const MAX_CONTAINER_UPDATES = 1000;

/** CDS:1 §2.5.20/21: SystemUpdateID and ContainerUpdateIDs are evented at most every 2 s. */
export const CDS_MODERATION_MS = 2000;

export interface ContentDirectoryEventsOptions extends Omit<
  EventPublisherOptions,
  "service" | "variables"
> {
  /** The library's current SystemUpdateID, for each new subscriber's initial event. */
  systemUpdateId(): number;
}

/**
 * The ContentDirectory's GENA publisher: feeds library updates (`Library.onUpdate`) to the
 * subscribers as SystemUpdateID and ContainerUpdateIDs, moderated (default 2 s). A burst of updates
 * becomes one event with the latest SystemUpdateID and every container changed since the
 * subscriber's last event, each once with its latest update id.
 */
export class ContentDirectoryEvents extends EventPublisher {
  constructor(options: ContentDirectoryEventsOptions) {
    super({
      ...options,
      service: "cds",
      moderationMs: options.moderationMs ?? CDS_MODERATION_MS,
      variables: [
        { name: "SystemUpdateID", initial: () => String(options.systemUpdateId()) },
        // "Changed since the last event": nothing yet for a new subscriber.
        { name: "ContainerUpdateIDs", initial: () => "", merge: mergeContainerUpdateIds },
      ],
    });
  }

  /** Hands one library update to the subscribers (a no-op without any). */
  publish(update: LibraryUpdate): void {
    this.changed(libraryUpdateValues(update));
  }
}

/**
 * The evented values of a library update. A removed container is listed with the new
 * SystemUpdateID: a control point showing it re-browses and learns (701) that it is gone,
 * which it would not from its parent's entry alone if it cached the container itself.
 */
export function libraryUpdateValues(update: LibraryUpdate): Record<string, string> {
  const pairs = update.containers.map(({ id, updateId }) => `${id},${updateId}`);
  for (const id of update.removedContainers) pairs.push(`${id},${update.systemUpdateId}`);
  // CDS:1 has no escaping for commas; an id holding one (never a library id) is left out.
  const listable = pairs.filter((pair) => pair.split(",").length === 2);
  const containerUpdateIds = mergeContainerUpdateIds("", listable.join(","));
  const values: Record<string, string> = { SystemUpdateID: String(update.systemUpdateId) };
  if (containerUpdateIds !== "") values["ContainerUpdateIDs"] = containerUpdateIds;
  return values;
}

/**
 * Joins two "id,updateId,id,updateId" lists: each container once with its latest update id,
 * most recently changed last, at most MAX_CONTAINER_UPDATES pairs (a client that misses one
 * still sees SystemUpdateID move).
 */
export function mergeContainerUpdateIds(older: string, newer: string): string {
  const latest = new Map<string, string>();
  for (const list of [older, newer]) {
    const parts = list === "" ? [] : list.split(",");
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const id = parts[i] ?? "";
      if (id === "") continue;
      latest.delete(id);
      latest.set(id, parts[i + 1] ?? "");
    }
  }
  const kept = [...latest].slice(-MAX_CONTAINER_UPDATES);
  return kept.map(([id, updateId]) => `${id},${updateId}`).join(",");
}
