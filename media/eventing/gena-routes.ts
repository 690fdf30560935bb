import type { FastifyReply, FastifyRequest } from "fastify";
import type { RouteRegistrar } from "../../services/http/route-registrar.js";
import { plainAddress } from "../soap/index.js";
import type { EventPublisher } from "./event-publisher.js";
import type { EventLog, GenaRefusal } from "./event-types.js";
import { parseGenaRequest } from "./gena-request.js";

export interface EventRoutesOptions {
  /** The SERVER header, "<OS>/<version> UPnP/1.0 <product>/<version>" (UDA 1.0 §1.1.2). */
  serverHeader: string;
  log: EventLog;
}

/** A service's event subscription URL below the media prefix ("/upnp/event/cds"). */
export function eventPath(service: string): string {
  return `/upnp/event/${service}`;
}

/**
 * Mounts SUBSCRIBE/UNSUBSCRIBE at `eventPath(publisher.service)` for each publisher, open to
 * the LAN (control points cannot log in). Answers follow UDA 1.0 §4.1: 200 with SID, TIMEOUT,
 * SERVER and an empty body; 400, 412 or 503 with an empty body otherwise.
 */
export function eventRoutes(
  http: RouteRegistrar,
  publishers: readonly EventPublisher[],
  options: EventRoutesOptions,
): void {
  for (const publisher of publishers) {
    http.route(
      ["SUBSCRIBE", "UNSUBSCRIBE"],
      eventPath(publisher.service),
      (request, reply) => answerGena(publisher, request, reply, options),
      { access: "open" },
    );
  }
}

function answerGena(
  publisher: EventPublisher,
  request: FastifyRequest,
  reply: FastifyReply,
  options: EventRoutesOptions,
): FastifyReply {
  const gena = parseGenaRequest(request.method, request.headers);
  const address = plainAddress(request.raw.socket.remoteAddress ?? "");
  const refuse = (refusal: GenaRefusal | { status: 400; reason: string }) => {
    options.log.debug(
      { svc: publisher.service, client: address, status: refusal.status, reason: refusal.reason },
      `GENA ${request.method} refused`,
    );
    return reply.code(refusal.status).send();
  };
  switch (gena.kind) {
    case "refused":
      return refuse(gena);
    case "unsubscribe": {
      const answer = publisher.unsubscribe(gena.sid);
      return answer.status === 200 ? reply.code(200).send() : refuse(answer);
    }
    case "renew": {
      const answer = publisher.renew(gena.sid, gena.timeout);
      if (answer.status !== 200) return refuse(answer);
      return granted(reply, answer.sid, answer.timeoutS, options.serverHeader);
    }
    case "subscribe": {
      const answer = publisher.subscribe(gena.callbacks, address, gena.timeout);
      if (answer.status !== 200) return refuse(answer);
      // UDA 1.0 §4.2: the initial event follows the response, so the subscriber knows the SID.
      const raw = reply.raw;
      raw.once("close", () => {
        if (raw.writableFinished) publisher.sendInitialEvent(answer.sid);
        else publisher.unsubscribe(answer.sid);
      });
      return granted(reply, answer.sid, answer.timeoutS, options.serverHeader);
    }
  }
}

function granted(reply: FastifyReply, sid: string, timeoutS: number, server: string) {
  return reply
    .code(200)
    .header("server", server)
    .header("sid", sid)
    .header("timeout", `Second-${timeoutS}`)
    .send();
}
