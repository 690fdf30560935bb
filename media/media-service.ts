import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import type { ServiceContext, Service, ServiceHealth } from "../services/host/service.js";
import type { MediaConfig } from "./config-schema.js";
import { VERSION } from "../services/version.js";
import { DlnaServer } from "./dlna-server/dlna-server.js";
import { Indexer } from "./indexer/indexer.js";
import type { IndexerChangeSummary, IndexerProgress } from "./indexer/indexer-types.js";
import { Library } from "./library/library.js";
import type { LibraryCounts } from "./library/library-types.js";
import { clientProfiles } from "./clients/index.js";
import { mediaRoutes, type RecentChange } from "./media-routes.js";
import { MetadataPool } from "./metadata/metadata-pool.js";
import { ThumbnailMaker } from "./thumbnails/thumbnail-maker.js";
import { sweepThumbnails } from "./thumbnails/thumbnail-sweep.js";

/** A sweep for missing thumbnails after live changes runs at most this often. */
const WATCH_SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * The media service: indexes the configured folders into the catalog (namespace `media`), keeps
 * the index current, and makes thumbnails. The DLNA server (issue 5) will browse `library`.
 */
export class MediaService implements Service<MediaConfig> {
  readonly name = "media";
  #ctx: ServiceContext<MediaConfig> | undefined;
  #library: Library | undefined;
  #indexer: Indexer | undefined;
  #pool: MetadataPool | undefined;
  #thumbs: ThumbnailMaker | undefined;
  #dlna: DlnaServer | undefined;
  #recentChanges: RecentChange[] = [];
  #counts: LibraryCounts | undefined;
  #sweep: { running?: Promise<void>; lastAt: number; timer?: NodeJS.Timeout } = { lastAt: 0 };

  async start(ctx: ServiceContext<MediaConfig>): Promise<void> {
    this.#ctx = ctx;
    const { config, log } = ctx;
    const rootTitles = config.roots.map((r) => basename(r.path) || r.path);
    this.#library = await Library.open(ctx.catalog.sub("lib"), { rootTitles, log });
    this.#pool = new MetadataPool({ log });
    this.#thumbs = new ThumbnailMaker({ cacheDir: join(ctx.dataDir, "thumbs"), log });
    this.#indexer = new Indexer({
      roots: config.roots.map((r) => ({
        path: r.path,
        kind: r.kind,
        ...(r.exclude ? { exclude: r.exclude } : {}),
      })),
      exclude: config.exclude,
      // hearth's own data dir (<data>/media's parent) may sit under a shared folder: never index it.
      skipPaths: [dirname(ctx.dataDir)],
      rescanMinutes: config.rescanMinutes,
      library: this.#library,
      extractor: this.#pool,
      log,
      onChange: (summary) => this.#changed(summary),
    });
    const friendlyName = config.friendlyName ?? `hearth on ${hostname()}`;
    this.#dlna = await DlnaServer.start({
      http: ctx.http,
      ns: ctx.catalog,
      library: this.#library,
      thumbnails: this.#thumbs,
      rootPaths: config.roots.map((r) => r.path),
      friendlyName,
      ...(config.interfaces ? { interfaces: config.interfaces } : {}),
      version: VERSION,
      log,
    });
    mediaRoutes(ctx.http, {
      friendlyName,
      scan: (full) => this.#scan(full),
      progress: () => this.#indexer?.progress(),
      summary: () => this.#summary(),
      profiles: clientProfiles,
      setClientProfile: async (address, profile) => {
        if (!this.#dlna) throw new Error("the media server is not running");
        await this.#dlna.clients.setOverride(address, profile);
      },
    });
    this.#counts = await this.#library.counts();
    // The first scan can take minutes on a big library: the service is up while it runs, and a
    // scan that throws is a fault of the service (the host restarts it, which resumes the scan).
    void this.#indexer.start().then(
      () => this.#afterPass("scan"),
      (err: unknown) => ctx.fail(err instanceof Error ? err : new Error(String(err))),
    );
  }

  async stop(): Promise<void> {
    clearTimeout(this.#sweep.timer);
    await this.#dlna?.close();
    this.#dlna = undefined;
    await Promise.allSettled([this.#indexer?.close(), this.#thumbs?.close()]);
    await this.#sweep.running?.catch(() => undefined);
    await this.#pool?.close();
    this.#indexer = undefined;
    this.#library = undefined;
  }

  health(): ServiceHealth {
    const config = this.#ctx?.config;
    const progress = this.#indexer?.progress();
    const roots = this.#indexer?.status() ?? [];
    const details = flatDetails(this.#counts, progress);
    if (config?.roots.length === 0) {
      return {
        state: "degraded",
        reason: "no media folders to share",
        fix: "Create ~/Music, ~/Videos or ~/Pictures, or list folders under media.roots in the config file.",
        details,
      };
    }
    const problem = roots.flatMap((r) => r.problems.map((p) => ({ root: r.path, ...p })))[0];
    if (problem) {
      const where = problem.relPath ? `${problem.root}/${problem.relPath}` : problem.root;
      return {
        state: "degraded",
        reason: `${where}: ${problem.message}`,
        ...(problem.fix ? { fix: problem.fix } : {}),
        details,
      };
    }
    const ssdp = this.#dlna?.ssdpStatus();
    if (ssdp?.state === "failed") {
      return {
        state: "degraded",
        reason: `players cannot discover hearth: ${ssdp.reason ?? "SSDP failed"}`,
        fix:
          ssdp.fix ??
          "Check media.interfaces in the config file, and that no other DLNA server (minidlna, gerbera) holds the SSDP port.",
        details,
      };
    }
    return { state: "ok", details };
  }

  #scan(full: boolean): void {
    void this.#indexer?.scan({ full }).then(
      () => this.#afterPass("scan"),
      (err: unknown) => this.#ctx?.log.error({ err }, "requested scan failed"),
    );
  }

  #changed(summary: IndexerChangeSummary): void {
    this.#recentChanges = [
      { ...summary, at: new Date().toISOString() },
      ...this.#recentChanges.slice(0, 9),
    ];
    void this.#library?.counts().then((c) => (this.#counts = c));
    if (summary.trigger === "watch") this.#afterPass("watch");
  }

  /** Queues missing thumbnails after a scan; after live changes at most every few minutes. */
  #afterPass(trigger: "scan" | "watch"): void {
    const { config } = this.#ctx ?? {};
    if (!config?.thumbnails || this.#sweep.running || this.#sweep.timer) return;
    const wait =
      trigger === "scan"
        ? 0
        : Math.max(0, this.#sweep.lastAt + WATCH_SWEEP_INTERVAL_MS - Date.now());
    this.#sweep.timer = setTimeout(() => {
      this.#sweep.timer = undefined;
      const { library, thumbs } = { library: this.#library, thumbs: this.#thumbs };
      const signal = this.#ctx?.signal;
      if (!library || !thumbs || !signal) return;
      this.#sweep.lastAt = Date.now();
      this.#sweep.running = sweepThumbnails(
        library,
        thumbs,
        config.roots.map((r) => r.path),
        signal,
      )
        .catch((err: unknown) => this.#ctx?.log.warn({ err }, "thumbnail sweep stopped"))
        .finally(() => (this.#sweep.running = undefined));
    }, wait).unref();
  }

  async #summary() {
    // Progress first, counts after: an apply landing while the counts are read must not pair old
    // counts with a "scan finished" (`hearth scan --wait` and scripts trust that pairing).
    const progress = this.#indexer?.progress();
    const roots = this.#indexer?.status() ?? [];
    const systemUpdateId = this.#library?.systemUpdateId();
    // Fresh, not the cached copy health() uses: the API must agree with the scan it reports.
    const counts = (this.#counts = (await this.#library?.counts()) ?? this.#counts);
    const server = this.#dlna?.status();
    return {
      counts,
      progress,
      roots,
      thumbnails: this.#thumbs?.stats,
      systemUpdateId,
      recentChanges: this.#recentChanges,
      server: server && {
        udn: server.udn,
        friendlyName: server.friendlyName,
        subscribers: server.subscribers,
      },
      clients: server?.clients ?? [],
    };
  }
}

/** The dashboard card shows flat facts: counts, and the scan's progress while one runs. */
function flatDetails(
  counts: LibraryCounts | undefined,
  progress: IndexerProgress | undefined,
): Record<string, string | number> {
  const facts: Record<string, string | number> = { ...(counts ?? {}) };
  if (progress?.phase === "scanning") {
    const eta =
      progress.etaSeconds === null ? "" : `, about ${Math.ceil(progress.etaSeconds)} s left`;
    facts.scanning = `${progress.filesProcessed} of ${progress.filesSeen} files${eta}`;
  }
  return facts;
}
