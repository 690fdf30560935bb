import assert from "node:assert/strict";
import type { Socket } from "node:net";
import pino from "pino";
import {
  connectionManager,
  connectionManagerState,
  sourceProtocols,
} from "../../../media/connection-manager/index.js";
import { CONNECTION_MANAGER } from "../../../media/description/index.js";
import { requestContext, runSoapControl } from "../../../media/soap/index.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";
import { soapRoute } from "./soap-route.js";

const CMS = "urn:schemas-upnp-org:service:ConnectionManager:1";
const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="utf-8"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>';
const ENVELOPE_CLOSE = "</s:Body></s:Envelope>\r\n";
const call = (action: string, args = "") =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:${action} xmlns:u="${CMS}">${args}</u:${action}></s:Body></s:Envelope>`;
const response = (action: string, out: string) =>
  `${ENVELOPE_OPEN}<u:${action}Response xmlns:u="${CMS}">${out}</u:${action}Response>${ENVELOPE_CLOSE}`;
const fault = (code: number, description: string) =>
  `${ENVELOPE_OPEN}<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>` +
  `<detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode>` +
  `<errorDescription>${description}</errorDescription></UPnPError></detail></s:Fault>${ENVELOPE_CLOSE}`;

const log = pino({ level: "silent" });
const request = requestContext({
  socket: { localAddress: "10.0.0.5", localPort: 8200, remoteAddress: "10.0.0.9" } as Socket,
  headers: {},
});
const service = connectionManager({
  sourceProtocols: ["http-get:*:audio/mpeg:DLNA.ORG_PN=MP3", "http-get:*:audio/x-flac:*"],
});
const send = (body: string, header?: string) =>
  runSoapControl(service, body, header, request, log).then((o) => [o.status, o.body]);

describe("ConnectionManager", () => {
  it("is the ConnectionManager:1 service", () =>
    assert.equal(service.serviceType, CONNECTION_MANAGER.serviceType));

  it("GetProtocolInfo: Source lists what hearth serves, Sink is empty", async () => {
    assert.deepEqual(await send(call("GetProtocolInfo"), `"${CMS}#GetProtocolInfo"`), [
      200,
      response(
        "GetProtocolInfo",
        "<Source>http-get:*:audio/mpeg:DLNA.ORG_PN=MP3,http-get:*:audio/x-flac:*</Source><Sink></Sink>",
      ),
    ]);
  });

  it("GetProtocolInfo with hearth's real list carries every entry in order", async () => {
    const real = connectionManager({ sourceProtocols: sourceProtocols() });
    const outcome = await runSoapControl(real, call("GetProtocolInfo"), undefined, request, log);
    assert.equal(
      outcome.body,
      response("GetProtocolInfo", `<Source>${sourceProtocols().join(",")}</Source><Sink></Sink>`),
    );
  });

  it("GetCurrentConnectionIDs: the one connection, 0", async () => {
    assert.deepEqual(await send(call("GetCurrentConnectionIDs")), [
      200,
      response("GetCurrentConnectionIDs", "<ConnectionIDs>0</ConnectionIDs>"),
    ]);
  });

  it("GetCurrentConnectionInfo(0): an OK output connection without peers", async () => {
    assert.deepEqual(
      await send(call("GetCurrentConnectionInfo", "<ConnectionID>0</ConnectionID>")),
      [
        200,
        response(
          "GetCurrentConnectionInfo",
          "<RcsID>-1</RcsID><AVTransportID>-1</AVTransportID><ProtocolInfo></ProtocolInfo>" +
            "<PeerConnectionManager></PeerConnectionManager><PeerConnectionID>-1</PeerConnectionID>" +
            "<Direction>Output</Direction><Status>OK</Status>",
        ),
      ],
    );
  });

  it("GetCurrentConnectionInfo of any other connection: 706", async () => {
    for (const id of ["1", "-1", "2147483647", " 7 "])
      assert.deepEqual(
        await send(call("GetCurrentConnectionInfo", `<ConnectionID>${id}</ConnectionID>`)),
        [500, fault(706, "Invalid connection reference")],
        id,
      );
  });

  it("GetCurrentConnectionInfo with a missing or non-i4 ConnectionID: 402", async () => {
    for (const args of [
      "",
      "<ConnectionID></ConnectionID>",
      "<ConnectionID>zero</ConnectionID>",
      "<ConnectionID>2147483648</ConnectionID>",
      "<ConnectionID>0.5</ConnectionID>",
      "<ConnectionID><x>0</x></ConnectionID>",
    ])
      assert.deepEqual(
        await send(call("GetCurrentConnectionInfo", args)),
        [500, fault(402, "Invalid Args")],
        args,
      );
  });

  it("refuses actions it does not have with 401", async () => {
    for (const action of ["PrepareForConnection", "ConnectionComplete", "Browse", "hasOwnProperty"])
      assert.deepEqual(await send(call(action)), [500, fault(401, "Invalid Action")], action);
  });

  it("gives GENA the initial values of its evented variables", () => {
    assert.deepEqual(connectionManagerState({ sourceProtocols: ["a", "b"] }), [
      ["SourceProtocolInfo", "a,b"],
      ["SinkProtocolInfo", ""],
      ["CurrentConnectionIDs", "0"],
    ]);
    assert.deepEqual(
      connectionManagerState({ sourceProtocols: [] }).map(([name]) => name),
      CONNECTION_MANAGER.eventedVariables,
    );
  });
});

describe("ConnectionManager control route (real socket)", () => {
  let server: MediaHttp;
  let url: string;

  before(async () => {
    server = await mediaHttp({ level: "info" });
    soapRoute(server.http, CONNECTION_MANAGER.controlPath, service, server.log);
    url = `${server.url}/media${CONNECTION_MANAGER.controlPath}`;
  });
  after(() => server.close());

  const post = async (body: string) => {
    const reply = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": 'text/xml; charset="utf-8"',
        soapaction: `"${CMS}#GetCurrentConnectionInfo"`,
      },
      body,
    });
    return [reply.status, reply.headers.get("content-type"), await reply.text()];
  };

  it("answers a control request", async () => {
    const [status, type, body] = await post(
      call("GetCurrentConnectionInfo", "<ConnectionID>0</ConnectionID>"),
    );
    assert.deepEqual([status, type], [200, 'text/xml; charset="utf-8"']);
    assert.match(String(body), /<Direction>Output<\/Direction><Status>OK<\/Status>/);
  });

  it("refuses an entity-expansion bomb with a 402 fault instead of expanding it", async () => {
    const levels = Array.from(
      { length: 10 },
      (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
    ).join("");
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY l0 "lol">' +
      levels +
      "]>" +
      call("GetCurrentConnectionInfo", "<ConnectionID>&l10;</ConnectionID>");
    assert.deepEqual(await post(bomb), [
      500,
      'text/xml; charset="utf-8"',
      fault(402, "Invalid Args"),
    ]);
    // The server is still answering.
    const [status] = await post(call("GetCurrentConnectionInfo", "<ConnectionID>0</ConnectionID>"));
    assert.equal(status, 200);
  });

  it("refuses an external entity (XXE) the same way", async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>' +
      call("GetCurrentConnectionInfo", "<ConnectionID>&f;</ConnectionID>");
    assert.deepEqual(await post(xxe), [
      500,
      'text/xml; charset="utf-8"',
      fault(402, "Invalid Args"),
    ]);
  });
});
