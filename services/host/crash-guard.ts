import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Attributes uncaught exceptions and unhandled rejections to the service whose code raised them.
 * Each service's start runs inside `runAs(name, …)`; timers, sockets and promises it creates
 * inherit that async context, so a throw from a service's socket handler an hour later is still
 * known to be that service's fault. The host then restarts that one service instead of letting
 * Node kill the whole box's process.
 */
export class CrashGuard {
  readonly #context = new AsyncLocalStorage<string>();
  readonly #onServiceCrash: (service: string, err: Error) => void;
  readonly #onFatal: (err: Error) => void;
  #installed = false;

  constructor(handlers: {
    onServiceCrash: (service: string, err: Error) => void;
    /** An error outside every service: the process state is unknown, so the host exits. */
    onFatal: (err: Error) => void;
  }) {
    this.#onServiceCrash = handlers.onServiceCrash;
    this.#onFatal = handlers.onFatal;
  }

  runAs<T>(service: string, fn: () => T): T {
    return this.#context.run(service, fn);
  }

  install(): void {
    if (this.#installed) return;
    this.#installed = true;
    process.on("uncaughtException", this.#handle);
    process.on("unhandledRejection", this.#handle);
  }

  uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    process.off("uncaughtException", this.#handle);
    process.off("unhandledRejection", this.#handle);
  }

  readonly #handle = (reason: unknown): void => {
    const err = reason instanceof Error ? reason : new Error(String(reason));
    const service = this.#context.getStore();
    if (service === undefined) this.#onFatal(err);
    else this.#onServiceCrash(service, err);
  };
}
