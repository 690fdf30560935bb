import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { XMLValidator } from "fast-xml-parser";
import {
  UPNP_ICONS,
  UPNP_SCPDS,
  deviceDescription,
  descriptionRoutes,
  iconFile,
} from "../../../media/description/index.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";

const FIXED = {
  friendlyName: "hearth on test",
  udn: "uuid:5c2e1f7a-9b3d-4e8f-a1c2-d3e4f5a6b7c8",
  serialNumber: "5c2e1f7a",
  modelNumber: "0.1.0",
};

describe("description routes (real socket)", () => {
  let server: MediaHttp;

  before(async () => {
    server = await mediaHttp({ level: "info" });
    await descriptionRoutes(server.http, {
      ...FIXED,
      presentationUrl: (baseUrl) => `${new URL(baseUrl).origin}/#media`,
    });
  });
  after(() => server.close());

  it("serves the device description written for the address the request came in on", async () => {
    const reply = await fetch(`${server.url}/media/upnp/device.xml`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get("content-type"), 'text/xml; charset="utf-8"');
    const body = await reply.text();
    assert.equal(
      body,
      deviceDescription({
        ...FIXED,
        baseUrl: `http://127.0.0.1:${server.port}/media`,
        presentationUrl: `http://127.0.0.1:${server.port}/#media`,
      }),
    );
    assert.equal(XMLValidator.validate(body), true);
  });

  it("serves each SCPD as text/xml", async () => {
    for (const [path, xml] of UPNP_SCPDS) {
      const reply = await fetch(`${server.url}/media${path}`);
      assert.deepEqual(
        [reply.status, reply.headers.get("content-type"), await reply.text()],
        [200, 'text/xml; charset="utf-8"', xml],
        path,
      );
    }
  });

  it("serves each icon's bytes with its type, and answers HEAD", async () => {
    for (const icon of UPNP_ICONS) {
      const bytes = await readFile(iconFile(icon.name) ?? "");
      const reply = await fetch(`${server.url}/media${icon.path}`);
      assert.equal(reply.status, 200, icon.name);
      assert.equal(reply.headers.get("content-type"), icon.mime);
      assert.ok(Buffer.from(await reply.arrayBuffer()).equals(bytes), icon.name);
      const head = await fetch(`${server.url}/media${icon.path}`, { method: "HEAD" });
      assert.deepEqual(
        [head.status, head.headers.get("content-length")],
        [200, String(bytes.length)],
      );
    }
  });

  it("answers 404 for other files under /media/upnp/", async () => {
    for (const path of ["icon-64.png", "icon-48.gif", "..%2Fupnp-icons.ts", "ContentDir.xml"]) {
      const reply = await fetch(`${server.url}/media/upnp/${path}`);
      assert.equal(reply.status, 404, path);
    }
  });
});
