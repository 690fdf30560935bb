import type { Logger } from "pino";
import type { BackupNotifyConfig } from "../config-schema.js";
import { runHook } from "../runs/run-hook.js";

export type NotifyEvent = "start" | "success" | "warning" | "failure" | "overdue";

const WEBHOOK_TIMEOUT_MS = 15_000;

/**
 * Sends backup events to the household's notification command and/or webhook: JSON, ntfy (the
 * message as text, a title header) or healthchecks.io-style pings (URL/start, URL, URL/fail, so a
 * silent box is noticed too). A notification that fails is logged; it never fails the backup.
 */
export class Notifier {
  readonly #config: BackupNotifyConfig | undefined;
  readonly #log: Logger;

  constructor(config: BackupNotifyConfig | undefined, log: Logger) {
    this.#config = config;
    this.#log = log;
  }

  async send(job: string, event: NotifyEvent, message: string): Promise<void> {
    const config = this.#config;
    if (!config) return;
    const wanted = config.events.includes(event);
    const tasks: Promise<void>[] = [];
    if (config.command && wanted) {
      tasks.push(
        runHook("post", config.command, {
          HEARTH_BACKUP_JOB: job,
          HEARTH_BACKUP_EVENT: event,
          HEARTH_BACKUP_MESSAGE: message,
        }),
      );
    }
    if (config.url && (wanted || config.style === "healthchecks")) {
      const url = config.url.replaceAll("{job}", encodeURIComponent(job));
      tasks.push(this.#webhook(url, config.style, job, event, message));
    }
    for (const result of await Promise.allSettled(tasks)) {
      if (result.status === "rejected") {
        this.#log.warn({ job, event, err: result.reason as Error }, "backup notification failed");
      }
    }
  }

  async #webhook(
    url: string,
    style: BackupNotifyConfig["style"],
    job: string,
    event: NotifyEvent,
    message: string,
  ): Promise<void> {
    let request: { url: string; init: RequestInit } | undefined;
    if (style === "healthchecks") {
      const base = url.replace(/\/+$/, "");
      const suffix = {
        start: "/start",
        success: "",
        warning: "",
        failure: "/fail",
        overdue: undefined,
      }[event];
      if (suffix === undefined) return; // healthchecks notices an overdue job by itself
      request = { url: `${base}${suffix}`, init: { method: "POST", body: message } };
    } else if (style === "ntfy") {
      request = {
        url,
        init: {
          method: "POST",
          body: message,
          headers: {
            Title: `hearth backup ${job}: ${event}`,
            Tags: event === "failure" ? "warning" : "floppy_disk",
          },
        },
      };
    } else {
      request = {
        url,
        init: {
          method: "POST",
          body: JSON.stringify({ job, event, message, at: new Date().toISOString() }),
          headers: { "content-type": "application/json" },
        },
      };
    }
    const send = () =>
      fetch(request.url, { ...request.init, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    // One retry: a kept-alive connection the server has just closed fails the first POST.
    const response = await send().catch(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      return send();
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${request.url} answered ${response.status}`);
  }
}
