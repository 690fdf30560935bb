// Runs an SsdpAdvertiser inside a test network namespace (`node --import tsx advertiser-driver.ts
// '<json options>'`), with an HTTP server on 0.0.0.0:<port> that serves the real device
// description at /media/upnp/device.xml, so control points that fetch LOCATION find a device.
// stdin takes one command a line: status | refresh | stop. stdout gets one JSON line per event:
// {"event":"started"|"status"|"refreshed"|"stopped","status":{…},"timers":n} (timers: how many
// timers the process holds, see timer-census.ts). pino logs go to stderr.
import { liveTimers } from "./timer-census.js"; // first: it wraps the timer globals
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import pino from "pino";
import { deviceDescription } from "../../../../media/description/index.js";
import { SsdpAdvertiser, type SsdpStatus } from "../../../../media/ssdp/index.js";

interface DriverOptions {
  uuid: string;
  port: number;
  interfaces?: string[];
  listenAddress?: string;
}

const options = JSON.parse(process.argv[2] ?? "{}") as DriverOptions;
const log = pino({ level: "debug" }, pino.destination(2));
const say = (event: string, status: SsdpStatus) =>
  process.stdout.write(`${JSON.stringify({ event, status, timers: liveTimers() })}\n`);

const http = createServer((request, response) => {
  if (request.url !== "/media/upnp/device.xml") {
    response.writeHead(404).end();
    return;
  }
  const base = `http://${request.socket.localAddress}:${options.port}/media`;
  response.writeHead(200, { "content-type": 'text/xml; charset="utf-8"' });
  response.end(
    deviceDescription({
      friendlyName: "hearth test library",
      udn: `uuid:${options.uuid}`,
      serialNumber: options.uuid.slice(0, 8),
      modelNumber: "0.0.0-test",
      presentationUrl: `http://${request.socket.localAddress}:${options.port}/`,
      baseUrl: base,
    }),
  );
});
await new Promise<void>((resolve) => http.listen(options.port, "0.0.0.0", resolve));

const advertiser = new SsdpAdvertiser({
  uuid: options.uuid,
  descriptionPath: "/media/upnp/device.xml",
  port: options.port,
  interfaces: options.interfaces,
  listenAddress: options.listenAddress,
  serverName: "Linux/6.1 UPnP/1.0 hearth/0.0.0-test",
  log,
});
await advertiser.start();
say("started", advertiser.status());

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === "status") say("status", advertiser.status());
  if (command === "refresh") {
    await advertiser.refresh();
    say("refreshed", advertiser.status());
  }
  if (command === "stop") {
    await advertiser.stop();
    await advertiser.stop(); // idempotent: a second stop sends nothing and does not throw
    say("stopped", advertiser.status());
    http.close();
    break;
  }
}
