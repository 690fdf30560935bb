import { join } from "node:path";
import { gerberaPeer, hearthPeer, miniDlnaPeer, type MediaPeer } from "./media-peers.js";
import type { BenchNetns } from "./netns.js";
import type { CdsClient } from "./upnp-client.js";

export type ServerName = "hearth" | "minidlna" | "gerbera";

/** A container by fixed id, or by the titles leading to it from the root. */
export type ContainerPath = { id: string } | { titles: readonly string[] };

/** What the benchmark needs to know about one server beyond the UPnP protocol itself. */
export interface DlnaTarget {
  peer: MediaPeer;
  descriptionUrl: string;
  /** The largest all-music container (MiniDLNA's and hearth's `1$4`). */
  allMusic: ContainerPath;
  /** A container listing every video. */
  allVideo: ContainerPath;
  hasSearch: boolean;
}

export interface TargetOptions {
  root: string;
  corpus: string;
  state: string;
  netns: BenchNetns;
  hearthPort: number;
  /** Where hearth's JSON log goes. */
  hearthLog: string;
}

/** Each server with its own temporary config, run inside `netns`. */
export function dlnaTarget(name: ServerName, o: TargetOptions): DlnaTarget {
  const base = (port: number) => `http://${o.netns.address}:${port}`;
  switch (name) {
    case "hearth":
      return {
        peer: hearthPeer(o.root, o.corpus, join(o.state, "hearth"), o.hearthPort, {
          listen: "0.0.0.0",
          logFile: o.hearthLog,
        }),
        descriptionUrl: `${base(o.hearthPort)}/media/upnp/device.xml`,
        allMusic: { id: "1$4" },
        allVideo: { id: "2$8" },
        hasSearch: true,
      };
    case "minidlna":
      return {
        peer: miniDlnaPeer(o.corpus, join(o.state, "minidlna"), o.netns),
        descriptionUrl: `${base(18200)}/rootDesc.xml`,
        allMusic: { id: "1$4" },
        allVideo: { id: "2$8" },
        hasSearch: true,
      };
    case "gerbera":
      return {
        peer: gerberaPeer(o.corpus, join(o.state, "gerbera"), o.netns),
        descriptionUrl: `${base(49152)}/description.xml`,
        allMusic: { titles: ["Audio", "All - full name"] },
        allVideo: { titles: ["Video", "All Video"] },
        hasSearch: false, // Gerbera 1.1 advertises no SearchCapabilities
      };
  }
}

/**
 * Finds a container: by id, or by following titles from the root; where the last title is
 * missing, the child container with the most children stands in for it.
 */
export async function findContainer(
  client: CdsClient,
  path: ContainerPath,
): Promise<{ id: string; title: string; total: number }> {
  let id = "id" in path ? path.id : "0";
  let title = id;
  const titles = "titles" in path ? path.titles : [];
  for (const [i, want] of titles.entries()) {
    const containers = (await client.children(id)).filter((e) => e.kind === "container");
    const byTitle = containers.find((c) => c.title === want);
    const largest = [...containers].sort((a, b) => (b.childCount ?? 0) - (a.childCount ?? 0))[0];
    const next = byTitle ?? (i === titles.length - 1 ? largest : undefined);
    if (next === undefined) throw new Error(`no container "${want}" under ${id}`);
    id = next.id;
    title = next.title;
  }
  const total = (await client.browse(id, 0, 1)).totalMatches;
  return { id, title, total };
}
