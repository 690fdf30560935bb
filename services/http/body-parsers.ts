import type { FastifyInstance } from "fastify";

/** XML-ish bodies (SOAP actions, GENA) that handlers want as text. */
const TEXT_TYPES = ["text/xml", "application/xml", "application/soap+xml", "text/html", "text/csv"];

/**
 * Body parsing beyond fastify's JSON and text/plain: XML (SOAP from DLNA renderers) arrives as a
 * string, anything else (uploads, unknown types) as a Buffer, so an open handler sees the bytes
 * instead of a 415 it cannot do anything about.
 */
export function bodyParsers(app: FastifyInstance): void {
  app.addContentTypeParser(TEXT_TYPES, { parseAs: "string" }, (_request, body, done) => {
    done(null, body);
  });
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => {
    done(null, body);
  });
}
