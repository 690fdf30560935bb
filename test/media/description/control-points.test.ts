import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { connectionManager, sourceProtocols } from "../../../media/connection-manager/index.js";
import {
  CONNECTION_MANAGER,
  MEDIA_RECEIVER_REGISTRAR,
  UPNP_SERVICES,
  descriptionRoutes,
} from "../../../media/description/index.js";
import { mediaReceiverRegistrar } from "../../../media/registrar/index.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";
import { soapRoute } from "../connection-manager/soap-route.js";
import { EXPECTED_SCPDS, actionLine, variableLine } from "./scpd-expectations.js";

const run = promisify(execFile);
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const UDN = "uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const CMS = CONNECTION_MANAGER.serviceType;
const MSR = MEDIA_RECEIVER_REGISTRAR.serviceType;
/** How GUPnP names each SCPD data type once it has parsed it (GType names). */
const GTYPE: Record<string, string> = {
  string: "gchararray",
  ui4: "guint",
  i4: "gint",
  int: "gint",
  "bin.base64": "GUPnPBinBase64",
};

interface GupnpReport {
  contentType: string;
  deviceType: string;
  udn: string;
  friendlyName: string;
  manufacturer: string;
  modelName: string;
  modelNumber: string;
  serialNumber: string;
  presentationUrl: string;
  dlnaCapabilities: string[];
  largestIcon: { url: string; mime: string; depth: number; width: number; height: number };
  services: Array<{
    serviceType: string;
    id: string;
    scpdUrl: string;
    controlUrl: string;
    eventSubscriptionUrl: string;
    actions: Array<{
      name: string;
      arguments: Array<{ name: string; direction: string; relatedStateVariable: string }>;
    }>;
    stateVariables: Array<{
      name: string;
      type: string;
      sendEvents: boolean;
      allowedValues: string[];
    }>;
  }>;
  calls: Array<{ out?: Record<string, string>; error?: { code: number; message: string } }>;
}

describe("real control points read the description", () => {
  let server: MediaHttp;
  let location: string;

  before(async () => {
    server = await mediaHttp({ level: "info" });
    await descriptionRoutes(server.http, {
      friendlyName: "hearth <test> & co",
      udn: UDN,
      serialNumber: "0f1e2d3c4b5a",
      modelNumber: "0.1.0",
    });
    soapRoute(
      server.http,
      CONNECTION_MANAGER.controlPath,
      connectionManager({ sourceProtocols: sourceProtocols() }),
      server.log,
    );
    soapRoute(
      server.http,
      MEDIA_RECEIVER_REGISTRAR.controlPath,
      mediaReceiverRegistrar(),
      server.log,
    );
    location = `${server.url}/media/upnp/device.xml`;
  });
  after(() => server.close());

  describe("GUPnP 1.6 (python3-gi)", () => {
    let report: GupnpReport;

    before(async () => {
      const calls = [
        { serviceType: CMS, action: "GetProtocolInfo", out: ["Source", "Sink"] },
        {
          serviceType: CMS,
          action: "GetCurrentConnectionInfo",
          in: { ConnectionID: 0 },
          out: ["RcsID", "AVTransportID", "ProtocolInfo", "PeerConnectionManager"].concat([
            "PeerConnectionID",
            "Direction",
            "Status",
          ]),
        },
        { serviceType: CMS, action: "GetCurrentConnectionInfo", in: { ConnectionID: 3 } },
        { serviceType: MSR, action: "IsAuthorized", in: { DeviceID: "" }, out: ["Result"] },
        {
          serviceType: MSR,
          action: "RegisterDevice",
          in: { RegistrationReqMsg: "AAEC" },
          out: ["RegistrationRespMsg"],
        },
      ];
      // Debian's python3-gi lives under /usr/bin/python3, not a pyenv interpreter.
      const { stdout } = await run(
        "/usr/bin/python3",
        [here("gupnp-introspect.py"), location, JSON.stringify(calls)],
        { timeout: 60_000 },
      );
      report = JSON.parse(stdout) as GupnpReport;
    });

    it("reads the device's identity from the description", () => {
      assert.deepEqual(
        {
          contentType: report.contentType,
          deviceType: report.deviceType,
          udn: report.udn,
          friendlyName: report.friendlyName,
          manufacturer: report.manufacturer,
          modelName: report.modelName,
          modelNumber: report.modelNumber,
          serialNumber: report.serialNumber,
          presentationUrl: report.presentationUrl,
          dlnaCapabilities: report.dlnaCapabilities,
        },
        {
          contentType: 'text/xml; charset="utf-8"',
          deviceType: "urn:schemas-upnp-org:device:MediaServer:1",
          udn: UDN,
          friendlyName: "hearth <test> & co",
          manufacturer: "hearth",
          modelName: "hearth",
          modelNumber: "0.1.0",
          serialNumber: "0f1e2d3c4b5a",
          presentationUrl: `${server.url}/`,
          dlnaCapabilities: ["DMS-1.50"],
        },
      );
    });

    it("resolves the relative icon URLs against the description's address", () => {
      assert.deepEqual(report.largestIcon, {
        url: `${server.url}/media/upnp/icon-120.jpg`,
        mime: "image/jpeg",
        depth: 24,
        width: 120,
        height: 120,
      });
    });

    it("finds the three services with absolute SCPD, control and event URLs", () => {
      const found = report.services
        .map((s) => [s.serviceType, s.id, s.scpdUrl, s.controlUrl, s.eventSubscriptionUrl])
        .sort();
      const expected = UPNP_SERVICES.map((s) => [
        s.serviceType,
        s.serviceId,
        `${server.url}/media${s.scpdPath}`,
        `${server.url}/media${s.controlPath}`,
        `${server.url}/media${s.eventPath}`,
      ]).sort();
      assert.deepEqual(found, expected);
    });

    it("introspects every SCPD into the standard actions and state variables", () => {
      for (const entry of UPNP_SERVICES) {
        const service = report.services.find((s) => s.serviceType === entry.serviceType);
        assert.ok(service !== undefined, entry.serviceType);
        assert.deepEqual(
          service.actions.map((a) => actionLine(a.name, a.arguments)),
          EXPECTED_SCPDS[entry.key].actions,
        );
        const asGupnpTypes = EXPECTED_SCPDS[entry.key].stateVariables.map((line) => {
          const [name = "", type = "", ...rest] = line.split(" ");
          return [name, GTYPE[type] ?? `unmapped ${type}`, ...rest].join(" ");
        });
        assert.deepEqual(
          service.stateVariables.map((v) =>
            variableLine(v.name, v.type, v.sendEvents, v.allowedValues),
          ),
          asGupnpTypes,
        );
      }
    });

    it("calls ConnectionManager and the registrar with GUPnP's SOAP client", () => {
      assert.deepEqual(report.calls, [
        { out: { Source: sourceProtocols().join(","), Sink: "" } },
        {
          out: {
            RcsID: "-1",
            AVTransportID: "-1",
            ProtocolInfo: "",
            PeerConnectionManager: "",
            PeerConnectionID: "-1",
            Direction: "Output",
            Status: "OK",
          },
        },
        { error: { code: 706, message: "Invalid connection reference" } },
        { out: { Result: "1" } },
        { out: { RegistrationRespMsg: "" } },
      ]);
    });
  });

  describe("Net::UPnP (perl)", () => {
    interface NetUpnpReport {
      deviceType: string;
      friendlyName: string;
      udn: string;
      modelName: string;
      services: Array<Record<string, string>>;
      calls: Array<{ status: string; out: Record<string, string> }>;
    }
    let report: NetUpnpReport;

    before(async () => {
      const { stdout } = await run("perl", [here("net-upnp-read.pl"), location], {
        timeout: 60_000,
      });
      report = JSON.parse(stdout) as NetUpnpReport;
    });

    it("finds the device and every service's URLs with its regex parser", () => {
      assert.equal(report.deviceType, "urn:schemas-upnp-org:device:MediaServer:1");
      assert.equal(report.udn, UDN);
      assert.equal(report.modelName, "hearth");
      // Net::UPnP does not decode entities: what it shows is the escaped text, as sent.
      assert.equal(report.friendlyName, "hearth &lt;test&gt; &amp; co");
      assert.deepEqual(
        report.services,
        UPNP_SERVICES.map((s) => ({
          serviceType: s.serviceType,
          serviceId: s.serviceId,
          scpdUrl: `/media${s.scpdPath}`,
          controlUrl: `/media${s.controlPath}`,
          eventSubUrl: `/media${s.eventPath}`,
          postUrl: `${server.url}/media${s.controlPath}`,
        })),
      );
    });

    // Pending on media/soap: Net::UPnP (like many TVs) indents its SOAP, and parseSoapRequest
    // counts the whitespace text in <s:Body> as a second child, answering 401. See the report.
    it("calls ConnectionManager and the registrar with its indented SOAP", () => {
      assert.deepEqual(report.calls, [
        { status: "200", out: { ConnectionIDs: "0" } },
        {
          status: "200",
          out: {
            RcsID: "-1",
            AVTransportID: "-1",
            ProtocolInfo: "",
            PeerConnectionManager: "",
            PeerConnectionID: "-1",
            Direction: "Output",
            Status: "OK",
          },
        },
        { status: "200", out: { Result: "1" } },
        { status: "500", out: {} },
      ]);
    });
  });
});
