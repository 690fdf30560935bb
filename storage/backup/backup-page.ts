import { escapeHtml as esc } from "../../services/http/escape-html.js";
import { pageShell } from "../../services/http/page-shell.js";
import type { JobView } from "./backups.js";
import { formatBytes } from "./format-bytes.js";
import type { RunRecord } from "./runs/run-record.js";

/** Card colour and badge per job state: failed, interrupted and overdue are red. */
const LOOK: Record<JobView["state"], { card: string; badge: string }> = {
  ok: { card: "ok", badge: "OK" },
  warning: { card: "degraded", badge: "Warning" },
  failed: { card: "failed", badge: "Failed" },
  interrupted: { card: "failed", badge: "Interrupted" },
  overdue: { card: "failed", badge: "Overdue" },
  running: { card: "starting", badge: "Running" },
  never: { card: "off", badge: "No backup yet" },
};

/**
 * The Backups page on the dashboard: one card per job with its state in words and colour, the last
 * run (what it saved, or the problem and its fix, or the files it could not read), the next run,
 * buttons to back up or verify now, and a snapshot browser with find and restore (the page's
 * script, backup-page.js; the dashboard's CSP allows no inline code). Refreshes itself every 2 s
 * only while a job runs.
 */
export function backupPage(jobs: readonly JobView[], restoreRoot: string): string {
  const running = jobs.some((j) => j.progress);
  const cards = jobs.map(jobCard).join("");
  const summary =
    jobs.length === 0
      ? "No backup jobs yet"
      : `${jobs.length} job${jobs.length === 1 ? "" : "s"}; ${jobs.filter((j) => ["failed", "overdue", "interrupted"].includes(j.state)).length} need attention`;
  const empty =
    "<p>No backup jobs are configured. Add one under <code>backup.jobs</code> in the config file (see <code>etc/hearth.example.yaml</code>).</p>";
  return pageShell({
    title: "Backups",
    path: "page",
    script: "backup-page.js",
    ...(running ? { refreshSeconds: 2 } : {}),
    body: `<section class="services" aria-labelledby="backups-title">
<div class="section-head"><h1 id="backups-title">Backups</h1><p class="summary">${esc(summary)}</p></div>
${cards ? `<ul class="cards">${cards}</ul>` : empty}
<p class="card-fine" id="action-status" role="status"></p>
<section id="snapshots" aria-labelledby="snapshots-title" hidden><h2 id="snapshots-title">Snapshots</h2>
<form id="find-form"><label>Find a file by name <input name="name" placeholder="report*.odt" required></label> <button type="submit">Find</button></form>
<div id="snapshot-list"></div><div id="snapshot-tree"></div>
<form id="restore-form" data-restore-root="${esc(restoreRoot)}" hidden><h3>Restore</h3><p id="restore-what"></p>
<label>Into the new folder <input name="to" required size="50"></label> <button type="submit">Restore</button>
<p class="card-fine">Files come back under their full original path inside that folder. A folder that already has files is refused: nothing is ever overwritten.</p></form>
<p id="restore-status" role="status"></p></section>
</section>`,
  });
}

function jobCard(job: JobView): string {
  const look = LOOK[job.state];
  const last = job.lastRun ? lastRun(job.lastRun) : '<p class="card-meta">It has not run yet.</p>';
  const progress = job.progress
    ? `<p class="card-reason">${esc(job.progress.kind === "backup" ? "Backing up" : job.progress.kind === "check" ? "Verifying" : "Pruning")} to ${esc(job.progress.destination)}: <progress max="100" value="${job.progress.percent}">${job.progress.percent} %</progress> ${job.progress.percent} %, ${esc(formatBytes(job.progress.bytesDone))} of ${esc(formatBytes(job.progress.totalBytes))}, ${esc(formatBytes(job.progress.bytesPerSecond))}/s${job.progress.etaSeconds === null ? "" : `, about ${Math.ceil(job.progress.etaSeconds)} s left`}${job.progress.currentFile ? ` <span class="card-fine">${esc(job.progress.currentFile)}</span>` : ""}</p>`
    : "";
  const overdue =
    job.state === "overdue"
      ? `<p class="card-reason">No successful backup since ${esc(when(job.lastSuccessAt) || "hearth first saw this job")}.</p><p class="card-fix"><strong>What to do:</strong> check that the box was on at the scheduled times, then back up now.</p>`
      : "";
  const destinations = job.destinations
    .map((d) => `<li>${esc(d.type)}: ${esc(d.label)}</li>`)
    .join("");
  const check = job.lastCheck
    ? `<p class="card-fine">Last verified ${esc(when(job.lastCheck.endedAt))}: ${esc(job.lastCheck.outcome)}</p>`
    : "";
  const busy = job.progress ? " disabled" : "";
  return `<li class="card card--${look.card}" data-job="${esc(job.name)}" data-state="${job.state}"><div class="card-head"><h2 class="card-title">${esc(job.name)}</h2><span class="badge badge--${look.card}"><span class="badge-dot" aria-hidden="true"></span>${look.badge}</span></div>
${progress}${overdue}${last}${check}
<p class="card-fine">Next run ${esc(when(job.nextRunAt) || "not scheduled")} (${esc(job.schedule)})</p>
<ul class="card-fine">${destinations}</ul>
<p><button type="button" data-run="${esc(job.name)}" data-kind="backup"${busy}>Back up now</button> <button type="button" data-run="${esc(job.name)}" data-kind="check"${busy}>Verify</button> <button type="button" data-snapshots="${esc(job.name)}">Snapshots</button></p></li>`;
}

function lastRun(run: RunRecord): string {
  const head = `<p class="card-meta">Last run ${esc(when(run.endedAt))}: ${esc(run.outcome)}</p>`;
  const problem = run.error ?? run.destinations.map((d) => d.error).find(Boolean);
  const problemHtml =
    problem && (run.outcome === "failed" || run.outcome === "interrupted")
      ? `<p class="card-reason">${esc(problem.message)}</p><p class="card-fix"><strong>What to do:</strong> ${esc(problem.fix)}</p>`
      : "";
  const saved = run.destinations
    .filter((d) => d.summary)
    .map((d) => {
      const s = d.summary!;
      return `<li>${esc(d.label)}: snapshot ${esc(s.snapshotId)}, ${s.filesNew} new and ${s.filesChanged} changed files, ${esc(formatBytes(s.bytesAdded))} added in ${s.seconds} s</li>`;
    })
    .join("");
  const unreadable = run.destinations.flatMap((d) => d.warnings ?? []);
  const warnings = unreadable.length
    ? `<p class="card-reason">Could not back up:</p><ul class="card-fine">${unreadable
        .slice(0, 20)
        .map((w) => `<li>${esc(w.path)}: ${esc(w.reason)}</li>`)
        .join("")}</ul>`
    : "";
  return `${head}${problemHtml}${saved ? `<ul class="card-fine">${saved}</ul>` : ""}${warnings}`;
}

function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "";
}
