import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { controlRequest } from "../../services/control/control-client.js";
import type { MediaSummary } from "../../media/media-routes.js";
import { makeCorpus, type CorpusManifest } from "../fixtures/media-corpus/index.js";
import { sleep, startHearth, type HearthProcess } from "../support/hearth-process.js";
import { TestNetns } from "../support/netns.js";

const run = promisify(execFile);
const here = new URL(".", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3"; // Debian's, which has python3-gi (not a pyenv one on PATH)
const MEDIA_SERVER = "urn:schemas-upnp-org:device:MediaServer:1";
const CDS = "urn:schemas-upnp-org:service:ContentDirectory:1";

interface Heard {
  kind: string;
  searched?: string;
  headers: Record<string, string>;
  from: string;
  at: number;
}

// The DLNA server of the real compiled hearth, inside a network namespace with a LAN interface,
// found and walked by real control points: GUPnP's (SSDP, description, Browse, Search, GUPnP-AV's
// DIDL parser) and plain SSDP sockets. Nothing leaves the namespace.
describe("DLNA server of a running hearth, seen from the LAN", function () {
  this.timeout(180_000);
  const netns = new TestNetns(91);
  let work: string;
  let manifest: CorpusManifest;
  let config: string;
  let hearth: HearthProcess | undefined;
  let udn: string;

  const socket = (h: HearthProcess) => [join(h.dataDir, "hearth.sock")];
  const summary = async (h: HearthProcess) =>
    JSON.parse((await controlRequest(socket(h), "GET", "/api/media/summary")).body) as MediaSummary;
  const inNetns = (command: string, args: string[]) => {
    const [cmd, argv] = netns.wrap(command, args);
    return run(cmd, argv, { maxBuffer: 64 << 20, timeout: 120_000 });
  };
  const probe = async (args: string[]) =>
    JSON.parse(
      (await inNetns(PYTHON, [join(here, "support/ssdp-probe.py"), ...args])).stdout,
    ) as Heard[];
  const start = () =>
    startHearth({
      args: ["--config", config, "--listen", "0.0.0.0", "--data", join(work, "data")],
      wrap: (command, args) => netns.wrap(command, args),
    });

  before(async function () {
    if (!TestNetns.available()) return this.skip(); // needs root and iproute2 (CI has both)
    netns.create();
    work = mkdtempSync(join(tmpdir(), "hearth-dlna-e2e-"));
    manifest = await makeCorpus(join(work, "library"));
    config = join(work, "hearth.yaml");
    writeFileSync(
      config,
      `media:\n  friendlyName: Family Library\n  roots:\n    - { path: "${join(work, "library")}", kind: mixed }\n`,
    );
    hearth = await start();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = await summary(hearth).catch(() => undefined);
      if (s?.roots?.[0]?.lastScanAt && s.progress?.phase !== "scanning" && s.server) {
        udn = s.server.udn;
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`hearth never finished its scan: ${JSON.stringify(s)}`);
      await sleep(200);
    }
  });
  after(async () => {
    await hearth?.stop();
    hearth?.cleanup();
    netns.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const mediaItems = () => manifest.entries.filter((e) => !e.isHidden && e.expected?.mediaClass);
  const tracks = () => mediaItems().filter((e) => e.expected?.mediaClass === "audio").length;

  it("is found by GUPnP over SSDP, and its whole tree walks with consistent counts", async () => {
    const { stdout } = await inNetns(PYTHON, [
      join(here, "support/gupnp-walk.py"),
      netns.device,
      udn,
      'upnp:class derivedfrom "object.item.audioItem"',
    ]);
    const walk = JSON.parse(stdout) as {
      friendlyName: string;
      location: string;
      unique: number;
      items: Record<string, number>;
      problems: string[];
      search: { totalMatches: number; numberReturned: number };
    };
    assert.equal(walk.friendlyName, "Family Library");
    assert.match(
      walk.location,
      new RegExp(`^http://${netns.address.replaceAll(".", "\\.")}:\\d+/media/upnp/device\\.xml$`),
    );
    assert.deepEqual(walk.problems, []);
    assert.equal(walk.unique, mediaItems().length, "every media file appears, once as itself");
    assert.equal(walk.search.totalMatches, tracks());
    assert.equal(walk.search.numberReturned, tracks());
  });

  it("answers M-SEARCH for every search target with its LAN address in LOCATION", async () => {
    const targets = ["ssdp:all", "upnp:rootdevice", udn, MEDIA_SERVER, CDS];
    const answers = await probe(["search", netns.address, ...targets]);
    const location = new RegExp(
      `^http://${netns.address.replaceAll(".", "\\.")}:\\d+/media/upnp/device\\.xml$`,
    );
    for (const answer of answers) {
      assert.equal(answer.kind, "HTTP/1.1 200 OK");
      assert.match(answer.headers.LOCATION ?? "", location);
      assert.equal(answer.headers["CACHE-CONTROL"], "max-age=1800");
      assert.equal(answer.headers.EXT, "");
      assert.match(answer.headers.SERVER ?? "", /UPnP\/1\.0 hearth\//);
    }
    const seen = (st: string) =>
      answers.filter((a) => a.searched === st).map((a) => [a.headers.ST, a.headers.USN]);
    assert.deepEqual(seen("upnp:rootdevice"), [["upnp:rootdevice", `${udn}::upnp:rootdevice`]]);
    assert.deepEqual(seen(udn), [[udn, udn]]);
    assert.deepEqual(seen(MEDIA_SERVER), [[MEDIA_SERVER, `${udn}::${MEDIA_SERVER}`]]);
    assert.deepEqual(seen(CDS), [[CDS, `${udn}::${CDS}`]]);
    const all = seen("ssdp:all")
      .map(([st]) => st)
      .sort();
    assert.deepEqual(
      all,
      [
        MEDIA_SERVER,
        "upnp:rootdevice",
        "urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1",
        "urn:schemas-upnp-org:service:ConnectionManager:1",
        CDS,
        udn,
      ].sort(),
    );
  });

  it("survives garbage on the SSDP port and still answers", async () => {
    const garbage = [
      "\u0000\u0001\u0002",
      "M-SEARCH * HTTP/1.1\r\nST\r\n\r\n",
      'M-SEARCH * HTTP/1.1\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: "\r\n\r\n',
      "NOTIFY * HTTP/1.1\r\nNTS\r\n",
      "x".repeat(60000),
    ];
    const script = `import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nfor m in sys.argv[1:]: s.sendto(bytes.fromhex(m),("239.255.255.250",1900))`;
    const hex = garbage.map((g) => Buffer.from(g, "latin1").toString("hex"));
    await inNetns(PYTHON, ["-c", script, ...hex]);
    const answers = await probe(["search", netns.address, "upnp:rootdevice"]);
    assert.equal(answers.length, 1);
    assert.equal((await summary(hearth!)).server?.udn, udn);
  });

  it("says byebye on stop and alive again on start, with the same UDN", async () => {
    const listener = (seconds: number) => {
      const [cmd, argv] = netns.wrap(PYTHON, [
        join(here, "support/ssdp-probe.py"),
        "listen",
        netns.address,
        String(seconds),
      ]);
      const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      const listening = new Promise<void>((resolve) => child.stderr.once("data", () => resolve()));
      const done = new Promise<Heard[]>((resolve) =>
        child.on("exit", () => resolve(JSON.parse(out || "[]") as Heard[])),
      );
      return { listening, done };
    };
    const goodbye = listener(4);
    await goodbye.listening;
    assert.equal(await hearth!.stop(), 0);
    const byes = (await goodbye.done)
      .filter((n) => n.kind === "ssdp:byebye")
      .map((n) => n.headers.NT);
    assert.deepEqual(
      [...new Set(byes)].sort(),
      [
        MEDIA_SERVER,
        "upnp:rootdevice",
        "urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1",
        "urn:schemas-upnp-org:service:ConnectionManager:1",
        CDS,
        udn,
      ].sort(),
    );
    hearth!.cleanup = () => undefined; // the data dir lives in `work`, reused below
    const hello = listener(8);
    await hello.listening;
    hearth = await start();
    const alive = (await hello.done).filter((n) => n.kind === "ssdp:alive");
    assert.ok(
      alive.some(
        (n) => n.headers.NT === MEDIA_SERVER && n.headers.USN === `${udn}::${MEDIA_SERVER}`,
      ),
    );
    assert.ok(alive.every((n) => n.headers["CACHE-CONTROL"] === "max-age=1800"));
  });
});
