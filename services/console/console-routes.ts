import type { FastifyReply } from "fastify";
import { HearthError, describeError } from "../errors.js";
import type { RouteRegistrar } from "../http/route-registrar.js";
import type { Consoles } from "./consoles.js";
import type { PowerAction } from "./power/power-control.js";
import { wsAttach } from "./transports/ws-attach.js";

const POWER_ACTIONS = new Set<PowerAction>(["on", "off", "cycle"]);

/**
 * The console service's API, behind the dashboard login and reached by `hearth console` through
 * the control socket:
 * - GET /api/console/ports → ConsolesStatus
 * - POST /api/console/ports/:name/break → 200; 404 unknown port; 409 no break possible now
 * - POST /api/console/ports/:name/power { action: "on" | "off" | "cycle" } → 200; 404; 409 busy
 *   or too soon; 422 bad action or no power control; 502 the driver failed
 * - WebSocket /api/console/ports/:name/attach?mode=rw|ro|force → the terminal (see wsAttach)
 */
export function consoleRoutes(http: RouteRegistrar, consoles: Consoles): void {
  http.route("GET", "/ports", (_request, reply) => reply.send(consoles.status()));
  http.route("POST", "/ports/:name/break", async (request, reply) => {
    const port = consoles.port((request.params as { name: string }).name);
    if (!port) return unknownPort(reply, request.params);
    try {
      await port.sendBreak(`${request.ip} (web)`);
      return reply.send({ port: port.name, break: "sent" });
    } catch (err) {
      return reply.code(409).send(errorBody(err));
    }
  });
  http.route("POST", "/ports/:name/power", async (request, reply) => {
    const port = consoles.port((request.params as { name: string }).name);
    if (!port) return unknownPort(reply, request.params);
    const action = (request.body as { action?: unknown } | undefined)?.action;
    if (!POWER_ACTIONS.has(action as PowerAction))
      return reply.code(422).send({
        error: `action must be "on", "off" or "cycle", got ${JSON.stringify(action) ?? "nothing"}`,
      });
    const who = (request.body as { who?: unknown }).who;
    try {
      await consoles.power(
        port,
        action as PowerAction,
        typeof who === "string" && /^[\w.-]{1,32}$/.test(who)
          ? `${who} (cli)`
          : `${request.ip} (web)`,
      );
      return reply.send({ port: port.name, power: action, done: true });
    } catch (err) {
      return reply
        .code(powerErrorStatus(err, port.view().power !== undefined))
        .send(errorBody(err));
    }
  });
  http.websocket("/ports/:name/attach", (socket, request) => {
    const port = consoles.port((request.params as { name: string }).name);
    if (!port) {
      socket.close(4404, "no such console port");
      return;
    }
    wsAttach(port, socket, request);
  });
}

function unknownPort(reply: FastifyReply, params: unknown) {
  return reply
    .code(404)
    .send({ error: `no console port named ${(params as { name: string }).name}` });
}

function errorBody(err: unknown): { error: string; fix?: string } {
  return {
    error: describeError(err),
    ...(err instanceof HearthError && err.fix ? { fix: err.fix } : {}),
  };
}

function powerErrorStatus(err: unknown, hasPower: boolean): number {
  if (!hasPower) return 422;
  if (err instanceof HearthError && err.code === "E_PORT_BUSY") return 409;
  return 502;
}
