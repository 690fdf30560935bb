import Router from "find-my-way";
import type { WebSocket } from "ws";
import type { RouteHandler, RouteMethod, SocketHandler } from "./route-registrar.js";

/** A dashboard page a service added: `path` is absolute (e.g. /api/media/library). */
export interface ServicePage {
  title: string;
  path: string;
}

/** Which of a service's two prefixes a request came in on. */
export type ServiceAccess = "session" | "open";

interface Match<T> {
  handler: T;
  params: Record<string, string | undefined>;
}

type FmwRouter = ReturnType<typeof Router>;

/**
 * One service's current HTTP registrations: a find-my-way router per prefix (session, open,
 * WebSocket), its dashboard pages and its live sockets. `reset()` swaps in empty routers, so
 * nothing registered before a restart can answer after it.
 */
export class ServiceTable {
  readonly name: string;
  #routers = newRouters();
  #count = 0;
  #pages: ServicePage[] = [];
  readonly #sockets = new Set<WebSocket>();

  constructor(name: string) {
    this.name = name;
  }

  /** True once the running service registered anything; false after reset (= not running). */
  get hasRoutes(): boolean {
    return this.#count > 0;
  }

  get pages(): ServicePage[] {
    return this.#pages.map((p) => ({ ...p }));
  }

  addRoute(methods: RouteMethod[], path: string, handler: RouteHandler, access: ServiceAccess) {
    this.#add(this.#routers[access], methods, path, handler);
  }

  addSocket(path: string, handler: SocketHandler): void {
    this.#add(this.#routers.socket, ["GET"], path, handler);
  }

  addPage(page: ServicePage): void {
    const path = page.path.startsWith("/") ? page.path : `/${page.path}`;
    const isAbsolute = path.startsWith(`/api/${this.name}/`) || path.startsWith(`/${this.name}/`);
    this.#pages.push({ title: page.title, path: isAbsolute ? path : `/api/${this.name}${path}` });
    this.#count += 1;
  }

  /** The handler for `method` and `path` (relative to the prefix, query allowed); HEAD falls back to GET. */
  find(access: ServiceAccess, method: string, path: string): Match<RouteHandler> | null {
    const router = this.#routers[access];
    const found =
      lookup(router, method, path) ?? (method === "HEAD" ? lookup(router, "GET", path) : null);
    return found as Match<RouteHandler> | null;
  }

  findSocket(path: string): Match<SocketHandler> | null {
    return lookup(this.#routers.socket, "GET", path) as Match<SocketHandler> | null;
  }

  /** Remembers an open socket so reset() can close it. */
  track(socket: WebSocket): void {
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
  }

  /** Drops every registration and closes the service's WebSockets (1012: service restart). */
  reset(): void {
    this.#routers = newRouters();
    this.#count = 0;
    this.#pages = [];
    for (const socket of this.#sockets) socket.close(1012, `${this.name} is restarting`);
    this.#sockets.clear();
  }

  #add(router: FmwRouter, methods: RouteMethod[], path: string, handler: unknown): void {
    try {
      router.on(methods, path, noop, { handler });
    } catch (err) {
      throw new Error(
        `${this.name}: cannot register ${methods.join(",")} ${path}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.#count += 1;
  }
}

function newRouters() {
  const options = { ignoreTrailingSlash: false, caseSensitive: true };
  return { session: Router(options), open: Router(options), socket: Router(options) };
}

function lookup(router: FmwRouter, method: string, path: string): Match<unknown> | null {
  const found = router.find(method as Router.HTTPMethod, path);
  if (found === null) return null;
  return { handler: (found.store as { handler: unknown }).handler, params: { ...found.params } };
}

/** find-my-way wants a handler; ours lives in the route's store and is called by the dispatcher. */
function noop(): void {}
