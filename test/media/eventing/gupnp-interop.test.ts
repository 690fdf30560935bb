import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ContentDirectoryEvents, eventRoutes } from "../../../media/eventing/index.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";
import { until } from "./callback-server.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./gupnp-subscriber.py", import.meta.url));
const UDN = "uuid:5f9ec1b2-4a5d-4c9e-9c1e-3b2a1d0c9e8f";
const CDS = "urn:schemas-upnp-org:service:ContentDirectory:1";

/** The least device description GUPnP needs to build a ContentDirectory proxy. */
const DEVICE_XML = `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>hearth test</friendlyName>
<manufacturer>hearth</manufacturer><modelName>hearth</modelName><UDN>${UDN}</UDN>
<serviceList><service><serviceType>${CDS}</serviceType><serviceId>urn:upnp-org:serviceId:ContentDirectory</serviceId>
<SCPDURL>/media/upnp/cds.xml</SCPDURL><controlURL>/media/upnp/control/cds</controlURL>
<eventSubURL>/media/upnp/event/cds</eventSubURL></service></serviceList></device></root>`;

type Line = { ready?: string; variable?: string; value?: string | number; lost?: string };

describe("GENA with a real control point (GUPnP 1.6 through python3-gi)", function () {
  let media: MediaHttp;
  let cds: ContentDirectoryEvents;
  let python: ChildProcess | undefined;
  const lines: Line[] = [];
  let systemUpdateId = 7;

  before(function () {
    const probe = spawnSync(PYTHON, ["-c", "import gi; gi.require_version('GUPnP','1.6')"]);
    if (probe.status !== 0) this.skip();
  });

  beforeEach(async () => {
    media = await mediaHttp();
    // Real timers, short moderation: GUPnP runs its own clock.
    cds = new ContentDirectoryEvents({
      systemUpdateId: () => systemUpdateId,
      log: media.log,
      moderationMs: 50,
    });
    eventRoutes(media.http, [cds], {
      serverHeader: "Linux/6.1 UPnP/1.0 hearth/0.1.0",
      log: media.log,
    });
    media.http.route(
      "GET",
      "/upnp/device.xml",
      (_request, reply) => reply.type('text/xml; charset="utf-8"').send(DEVICE_XML),
      { access: "open" },
    );
  });

  afterEach(async () => {
    python?.kill();
    cds.close();
    await media.close();
  });

  const values = (variable: string) =>
    lines.filter((l) => l.variable === variable).map((l) => String(l.value));

  it("subscribes, receives the initial and moderated events, and unsubscribes", async () => {
    python = spawn(PYTHON, [SCRIPT, `${media.url}/media/upnp/device.xml`], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    createInterface({ input: python.stdout! }).on("line", (text) => {
      lines.push(JSON.parse(text) as Line);
    });
    await until(() => values("SystemUpdateID").length === 1, "GUPnP's initial event", 15_000);
    assert.deepEqual(values("SystemUpdateID"), ["7"]);
    assert.equal(cds.subscriberCount, 1);

    systemUpdateId = 8;
    cds.publish({
      systemUpdateId: 8,
      containers: [
        { id: "0", updateId: 8 },
        { id: "1$4", updateId: 8 },
      ],
      removedContainers: [],
    });
    await until(() => values("SystemUpdateID").includes("8"), "update 8");
    assert.deepEqual(values("ContainerUpdateIDs").at(-1), "0,8,1$4,8");

    for (let id = 9; id <= 12; id++) {
      cds.publish({
        systemUpdateId: id,
        containers: [{ id: `a${id}`, updateId: id }],
        removedContainers: [],
      });
    }
    await until(() => values("SystemUpdateID").includes("12"), "update 12");
    const burst = values("SystemUpdateID").slice(2);
    assert.ok(burst.length <= 2 && burst.at(-1) === "12", `burst events: ${burst.join(" ")}`);
    const containers = values("ContainerUpdateIDs").slice(2);
    assert.equal(containers.join(","), "a9,9,a10,10,a11,11,a12,12");
    assert.deepEqual(
      lines.filter((l) => l.lost !== undefined),
      [],
    );
    // One SUBSCRIBE: GUPnP found every SEQ in order and never had to resubscribe.
    assert.equal(media.logLines.filter((l) => l.msg === "GENA subscription").length, 1);

    python.stdin!.write("unsubscribe\n");
    await until(() => cds.subscriberCount === 0, "GUPnP's UNSUBSCRIBE");
  });
});
