import assert from "node:assert/strict";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import {
  CONNECTION_MANAGER,
  CONTENT_DIRECTORY,
  DEVICE_DESCRIPTION_PATH,
  MEDIA_RECEIVER_REGISTRAR,
  MEDIA_SERVER_DEVICE_TYPE,
  UPNP_SERVICES,
  deviceDescription,
  type DeviceDescriptionOptions,
} from "../../../media/description/index.js";

const OPTIONS: DeviceDescriptionOptions = {
  friendlyName: "hearth on nas",
  udn: "uuid:4d696e69-444c-164e-9d41-b827eb54e1f8",
  serialNumber: "4d696e69444c164e",
  modelNumber: "0.1.0",
  presentationUrl: "http://10.0.0.5:8200/",
  baseUrl: "http://10.0.0.5:8200/media",
};

const service = (key: string, type: string, id: string) =>
  `<service><serviceType>${type}</serviceType><serviceId>${id}</serviceId>` +
  `<SCPDURL>/media/upnp/${key}.xml</SCPDURL><controlURL>/media/upnp/control/${key}</controlURL>` +
  `<eventSubURL>/media/upnp/event/${key}</eventSubURL></service>`;
const icon = (mime: string, size: number, name: string) =>
  `<icon><mimetype>${mime}</mimetype><width>${size}</width><height>${size}</height>` +
  `<depth>24</depth><url>/media/upnp/${name}</url></icon>`;

describe("device description", () => {
  it("writes the UDA 1.0 MediaServer description exactly", () => {
    assert.equal(
      deviceDescription(OPTIONS),
      '<?xml version="1.0" encoding="utf-8"?>\r\n' +
        '<root xmlns="urn:schemas-upnp-org:device-1-0">' +
        "<specVersion><major>1</major><minor>0</minor></specVersion><device>" +
        "<deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>" +
        "<friendlyName>hearth on nas</friendlyName>" +
        "<manufacturer>hearth</manufacturer>" +
        "<manufacturerURL>http://10.0.0.5:8200/</manufacturerURL>" +
        "<modelDescription>hearth home server: music, videos and photos over DLNA</modelDescription>" +
        "<modelName>hearth</modelName><modelNumber>0.1.0</modelNumber>" +
        "<modelURL>http://10.0.0.5:8200/</modelURL>" +
        "<serialNumber>4d696e69444c164e</serialNumber>" +
        "<UDN>uuid:4d696e69-444c-164e-9d41-b827eb54e1f8</UDN>" +
        '<dlna:X_DLNADOC xmlns:dlna="urn:schemas-dlna-org:device-1-0">DMS-1.50</dlna:X_DLNADOC>' +
        "<iconList>" +
        icon("image/png", 48, "icon-48.png") +
        icon("image/png", 120, "icon-120.png") +
        icon("image/jpeg", 48, "icon-48.jpg") +
        icon("image/jpeg", 120, "icon-120.jpg") +
        "</iconList><serviceList>" +
        service(
          "cds",
          "urn:schemas-upnp-org:service:ContentDirectory:1",
          "urn:upnp-org:serviceId:ContentDirectory",
        ) +
        service(
          "cms",
          "urn:schemas-upnp-org:service:ConnectionManager:1",
          "urn:upnp-org:serviceId:ConnectionManager",
        ) +
        service(
          "msr",
          "urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1",
          "urn:microsoft.com:serviceId:X_MS_MediaReceiverRegistrar",
        ) +
        "</serviceList><presentationURL>http://10.0.0.5:8200/</presentationURL>" +
        "</device></root>\r\n",
    );
  });

  it("is well-formed and has no URLBase", () => {
    const xml = deviceDescription(OPTIONS);
    assert.equal(XMLValidator.validate(xml), true);
    assert.doesNotMatch(xml, /URLBase/);
  });

  it("escapes every value once and drops characters XML cannot carry", () => {
    const xml = deviceDescription({
      ...OPTIONS,
      friendlyName: `Tom's <"media"> & more\u0001`,
      serialNumber: "a&amp;b",
      presentationUrl: "http://x/?a=1&b=2",
      projectUrl: "https://example.org/hearth?x=<1>",
    });
    assert.equal(XMLValidator.validate(xml), true);
    assert.match(
      xml,
      /<friendlyName>Tom&apos;s &lt;&quot;media&quot;&gt; &amp; more<\/friendlyName>/,
    );
    assert.match(xml, /<serialNumber>a&amp;amp;b<\/serialNumber>/);
    assert.match(xml, /<presentationURL>http:\/\/x\/\?a=1&amp;b=2<\/presentationURL>/);
    assert.match(
      xml,
      /<manufacturerURL>https:\/\/example.org\/hearth\?x=&lt;1&gt;<\/manufacturerURL>/,
    );
    const device = (new XMLParser().parse(xml) as { root: { device: Record<string, unknown> } })
      .root.device;
    assert.equal(device.friendlyName, `Tom's <"media"> & more`);
    assert.equal(device.modelURL, "https://example.org/hearth?x=<1>");
  });

  it("takes the URL prefix from the base URL's path, for any host", () => {
    for (const [baseUrl, prefix] of [
      ["http://[fe80::1]:8200/media", "/media"],
      ["http://10.0.0.5:8200/media/", "/media"],
      ["http://10.0.0.5:8200", ""],
      ["/hearth/media", "/hearth/media"],
    ] as const) {
      const xml = deviceDescription({ ...OPTIONS, baseUrl });
      assert.match(xml, new RegExp(`<SCPDURL>${prefix}/upnp/cds.xml</SCPDURL>`), baseUrl);
      assert.match(xml, new RegExp(`<url>${prefix}/upnp/icon-48.png</url>`), baseUrl);
    }
  });
});

describe("UPnP service constants", () => {
  it("names each service's URNs and paths once", () => {
    assert.equal(MEDIA_SERVER_DEVICE_TYPE, "urn:schemas-upnp-org:device:MediaServer:1");
    assert.equal(DEVICE_DESCRIPTION_PATH, "/upnp/device.xml");
    assert.deepEqual(UPNP_SERVICES, [
      CONTENT_DIRECTORY,
      CONNECTION_MANAGER,
      MEDIA_RECEIVER_REGISTRAR,
    ]);
    assert.deepEqual(CONNECTION_MANAGER, {
      key: "cms",
      serviceType: "urn:schemas-upnp-org:service:ConnectionManager:1",
      serviceId: "urn:upnp-org:serviceId:ConnectionManager",
      scpdPath: "/upnp/cms.xml",
      controlPath: "/upnp/control/cms",
      eventPath: "/upnp/event/cms",
      eventedVariables: ["SourceProtocolInfo", "SinkProtocolInfo", "CurrentConnectionIDs"],
    });
    assert.deepEqual(
      UPNP_SERVICES.map((s) => [s.key, s.serviceType, s.serviceId, s.controlPath]),
      [
        [
          "cds",
          "urn:schemas-upnp-org:service:ContentDirectory:1",
          "urn:upnp-org:serviceId:ContentDirectory",
          "/upnp/control/cds",
        ],
        [
          "cms",
          "urn:schemas-upnp-org:service:ConnectionManager:1",
          "urn:upnp-org:serviceId:ConnectionManager",
          "/upnp/control/cms",
        ],
        [
          "msr",
          "urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1",
          "urn:microsoft.com:serviceId:X_MS_MediaReceiverRegistrar",
          "/upnp/control/msr",
        ],
      ],
    );
  });
});
