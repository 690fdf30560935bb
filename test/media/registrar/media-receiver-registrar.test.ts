import assert from "node:assert/strict";
import type { Socket } from "node:net";
import pino from "pino";
import { MEDIA_RECEIVER_REGISTRAR } from "../../../media/description/index.js";
import {
  MEDIA_RECEIVER_REGISTRAR_STATE,
  mediaReceiverRegistrar,
} from "../../../media/registrar/index.js";
import { requestContext, runSoapControl } from "../../../media/soap/index.js";

const MSR = "urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1";
const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="utf-8"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>';
const ENVELOPE_CLOSE = "</s:Body></s:Envelope>\r\n";
const call = (action: string, args = "") =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action} xmlns:u="${MSR}">${args}</u:${action}></s:Body></s:Envelope>`;
const response = (action: string, out: string) =>
  `${ENVELOPE_OPEN}<u:${action}Response xmlns:u="${MSR}">${out}</u:${action}Response>${ENVELOPE_CLOSE}`;
const fault = (code: number, description: string) =>
  `${ENVELOPE_OPEN}<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>` +
  `<detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode>` +
  `<errorDescription>${description}</errorDescription></UPnPError></detail></s:Fault>${ENVELOPE_CLOSE}`;

const log = pino({ level: "silent" });
const request = requestContext({
  socket: { localAddress: "10.0.0.5", localPort: 8200, remoteAddress: "10.0.0.20" } as Socket,
  headers: { "user-agent": "Xbox/2.0.17559.0 UPnP/1.0 Xbox/2.0.17559.0" },
});
const service = mediaReceiverRegistrar();
const send = (body: string) =>
  runSoapControl(service, body, undefined, request, log).then((o) => [o.status, o.body]);

describe("X_MS_MediaReceiverRegistrar", () => {
  it("is the registrar service", () =>
    assert.equal(service.serviceType, MEDIA_RECEIVER_REGISTRAR.serviceType));

  it("IsAuthorized: 1 for any device, with or without an id", async () => {
    for (const id of ["", "uuid:10000000-0000-0000-0200-00125A8A2C5D", "<&>"])
      assert.deepEqual(
        await send(
          call(
            "IsAuthorized",
            `<DeviceID>${id.replace(/[<&>]/g, (c) => `&#${c.charCodeAt(0)};`)}</DeviceID>`,
          ),
        ),
        [200, response("IsAuthorized", "<Result>1</Result>")],
        id,
      );
  });

  it("IsValidated: 1 for any device", async () => {
    assert.deepEqual(await send(call("IsValidated", "<DeviceID>xbox</DeviceID>")), [
      200,
      response("IsValidated", "<Result>1</Result>"),
    ]);
  });

  it("RegisterDevice: accepts the message, answers an empty response", async () => {
    assert.deepEqual(
      await send(call("RegisterDevice", "<RegistrationReqMsg>AAECAwQ=</RegistrationReqMsg>")),
      [200, response("RegisterDevice", "<RegistrationRespMsg></RegistrationRespMsg>")],
    );
  });

  it("answers 402 when an action's argument is missing", async () => {
    for (const action of ["IsAuthorized", "IsValidated", "RegisterDevice"])
      assert.deepEqual(await send(call(action)), [500, fault(402, "Invalid Args")], action);
    assert.deepEqual(await send(call("IsAuthorized", "<DeviceID><a/></DeviceID>")), [
      500,
      fault(402, "Invalid Args"),
    ]);
  });

  it("answers 401 for actions it does not have", async () => {
    for (const action of ["GetProtocolInfo", "IsAuthorised", "valueOf"])
      assert.deepEqual(await send(call(action)), [500, fault(401, "Invalid Action")], action);
  });

  it("gives GENA 0 for each of its four update ids", () => {
    assert.deepEqual(MEDIA_RECEIVER_REGISTRAR_STATE, [
      ["AuthorizationGrantedUpdateID", "0"],
      ["AuthorizationDeniedUpdateID", "0"],
      ["ValidationSucceededUpdateID", "0"],
      ["ValidationRevokedUpdateID", "0"],
    ]);
  });
});
