import { readFile } from "node:fs/promises";
import type { FastifyReply } from "fastify";
import { describeError, HearthError } from "../services/errors.js";
import type { RouteRegistrar } from "../services/http/route-registrar.js";
import { phonesPage } from "./phones-page.js";
import type { Phones } from "./phones.js";

const pageScript = new URL("./assets/phones-page.js", import.meta.url);

/**
 * The phone service's API, behind the dashboard login and reached by `hearth pbx` through the
 * control socket:
 * - GET /api/pbx/status → PhonesStatus (extensions, contacts, lamps, sources, Asterisk link)
 * - POST /api/pbx/mwi/:ext { lamp: "on" | "off" | "auto" } → 200 { extension, lamp, markedRead? };
 *   404 unknown extension, 422 bad lamp, 502 when "off" should mark the notices read
 *   (`markReadOnClear`) but the voicemail source is not connected
 * - POST /api/pbx/call { from, to } → OriginateResult; 409 no Asterisk or unknown extension, 422
 *   bad number, 502 the AMI link failed
 * - GET /api/pbx/page → the Phones page
 */
export function pbxRoutes(http: RouteRegistrar, phones: Phones): void {
  http.route("GET", "/status", (_request, reply) => reply.send(phones.status()));
  http.route("POST", "/mwi/:ext", (request, reply) => {
    const ext = (request.params as { ext: string }).ext;
    const lamp = (request.body as { lamp?: unknown } | undefined)?.lamp;
    if (lamp !== "on" && lamp !== "off" && lamp !== "auto")
      return reply.code(422).send({
        error: `lamp must be "on", "off" or "auto", got ${JSON.stringify(lamp) ?? "nothing"}`,
      });
    if (lamp === "off") return lampOff(phones, ext, reply);
    if (!phones.setLamp(ext, lamp === "auto" ? undefined : lamp))
      return reply.code(404).send({ error: `no extension ${ext} in the config` });
    return reply.send({ extension: ext, lamp });
  });
  http.route("POST", "/call", async (request, reply) => {
    const body = (request.body ?? {}) as { from?: unknown; to?: unknown };
    if (typeof body.from !== "string" || typeof body.to !== "string")
      return reply.code(422).send({ error: 'send {"from": "<extension>", "to": "<number>"}' });
    try {
      return reply.send(await phones.call(body.from, body.to));
    } catch (err) {
      if (err instanceof RangeError) return reply.code(422).send({ error: err.message });
      if (err instanceof HearthError && err.code === "E_USAGE")
        return reply.code(409).send({ error: err.message, fix: err.fix });
      return reply
        .code(502)
        .send({ error: `Asterisk did not place the call: ${describeError(err)}` });
    }
  });
  http.route("GET", "/page", (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(phonesPage(phones.status())),
  );
  http.route("GET", "/phones-page.js", async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").send(await readFile(pageScript, "utf8")),
  );
  http.page({ title: "Phones", path: "page" });
}

async function lampOff(phones: Phones, ext: string, reply: FastifyReply): Promise<FastifyReply> {
  let result: Awaited<ReturnType<Phones["lampOff"]>>;
  try {
    result = await phones.lampOff(ext);
  } catch (err) {
    // The source could not mark its notices read (not connected): the lamp is left as it was.
    const fix = err instanceof HearthError && err.fix ? ` ${err.fix}` : "";
    return reply.code(502).send({ error: `${describeError(err)}.${fix}` });
  }
  if (result === undefined)
    return reply.code(404).send({ error: `no extension ${ext} in the config` });
  return reply.send({
    extension: ext,
    lamp: "off",
    ...(result.kind === "marked-read"
      ? { markedRead: result.marked, mailbox: result.mailbox }
      : {}),
  });
}
