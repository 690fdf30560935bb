import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { curl, rawExchange } from "./curl.js";
import { StreamingFixture } from "./streaming-fixture.js";

const FILM = "Videos/Film.mp4";
const TRACK_MP3 = "Music/Alpha Artist/First Album/01 Opening.mp3";
const TRACK_FLAC = "Music/Beta Band/Lossless/01 Flac Track.flac";
const PHOTO = "Pictures/2021/06/beach.jpg";
const AV_FLAGS = "DLNA.ORG_FLAGS=01700000000000000000000000000000";
const STILL_FLAGS = "DLNA.ORG_FLAGS=00F00000000000000000000000000000";

describe("streaming routes: files, ranges and DLNA headers (real server, corpus, curl)", function () {
  this.timeout(120_000);
  const f = new StreamingFixture();
  let film: Buffer;
  let filmUrl: string;

  before(async () => {
    await f.start();
    film = await readFile(join(f.root, FILM));
    filmUrl = f.url(`/res/${f.id(FILM)}.mp4`);
  });
  after(() => f.stop());

  it("serves a video whole, byte-exact, with its DLNA headers", async () => {
    const reply = await curl(filmUrl);
    assert.equal(reply.status, 200);
    assert.equal(reply.header("content-type"), "video/mp4");
    assert.equal(reply.header("content-length"), String(film.length));
    assert.equal(reply.header("accept-ranges"), "bytes");
    assert.equal(reply.header("content-range"), undefined);
    assert.ok(
      reply.lines.includes(
        `contentFeatures.dlna.org: DLNA.ORG_PN=AVC_MP4_HP_HD_AAC;DLNA.ORG_OP=01;DLNA.ORG_CI=0;${AV_FLAGS}`,
      ),
      reply.lines.join("\n"),
    );
    assert.ok(reply.lines.includes("transferMode.dlna.org: Streaming"));
    assert.ok(reply.lines.includes("realTimeInfo.dlna.org: DLNA.ORG_TLAG=*"));
    assert.equal(reply.header("captioninfo.sec"), undefined);
    assert.ok(reply.body.equals(film));
  });

  it("serves the ranges a-b, a-, and suffix -n with 206 and Content-Range", async () => {
    const size = film.length;
    const cases: Array<[string[], number, number]> = [
      [["-r", "0-99"], 0, 99],
      [["-r", "100-"], 100, size - 1],
      [["-H", "Range: bytes=-64"], size - 64, size - 1],
      [["-H", `Range: bytes=${size - 10}-${size + 1000}`], size - 10, size - 1],
      [["-H", `Range: bytes=-${size + 5}`], 0, size - 1],
      [["-H", "Range: bytes= 5-5 "], 5, 5],
    ];
    for (const [args, start, end] of cases) {
      const reply = await curl(filmUrl, args);
      assert.equal(reply.status, 206, args.join(" "));
      assert.equal(reply.header("content-range"), `bytes ${start}-${end}/${size}`, args.join(" "));
      assert.equal(reply.header("content-length"), String(end - start + 1), args.join(" "));
      assert.ok(reply.body.equals(film.subarray(start, end + 1)), args.join(" "));
      assert.ok(reply.lines.includes("transferMode.dlna.org: Streaming"));
    }
  });

  it("answers 416 with bytes */size for ranges no byte satisfies", async () => {
    for (const range of [
      `bytes=${film.length}-`,
      `bytes=${film.length + 7}-${film.length + 9}`,
      "bytes=-0",
    ]) {
      const reply = await curl(filmUrl, ["-H", `Range: ${range}`]);
      assert.equal(reply.status, 416, range);
      assert.equal(reply.header("content-range"), `bytes */${film.length}`, range);
    }
  });

  it("ignores malformed Range headers, other units and multiple ranges: 200 with the whole file", async () => {
    for (const range of [
      "bytes=abc",
      "bytes=5-3",
      "items=0-1",
      "bytes=0-1,5-6",
      "bytes=-",
      "bytes 0-1",
    ]) {
      const reply = await curl(filmUrl, ["-H", `Range: ${range}`]);
      assert.equal(reply.status, 200, range);
      assert.equal(reply.header("content-range"), undefined, range);
      assert.ok(reply.body.equals(film), range);
    }
  });

  it("honours If-Range only with the exact Last-Modified date", async () => {
    const lastModified = (await stat(join(f.root, FILM))).mtime.toUTCString();
    const matching = await curl(filmUrl, ["-r", "0-9", "-H", `If-Range: ${lastModified}`]);
    assert.equal(matching.status, 206);
    assert.equal(matching.header("last-modified"), lastModified);
    const stale = await curl(filmUrl, ["-r", "0-9", "-H", 'If-Range: "some-etag"']);
    assert.equal(stale.status, 200);
    assert.ok(stale.body.equals(film));
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const withoutDate = (lines: string[]) => lines.filter((l) => !l.startsWith("Date:"));
    for (const args of [[], ["-r", "10-19"]]) {
      const get = await curl(filmUrl, args);
      const head = await curl(filmUrl, ["-I", ...args]);
      assert.equal(head.status, get.status);
      assert.deepEqual(withoutDate(head.lines), withoutDate(get.lines));
    }
    const path = new URL(filmUrl).pathname;
    const raw = await rawExchange(
      f.http.port,
      `HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    const text = raw.toString("latin1");
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(text.includes(`\r\nContent-Length: ${film.length}\r\n`));
    assert.ok(text.endsWith("\r\n\r\n"), "nothing after the headers");
  });

  it("echoes a valid transferMode, refuses one that does not fit the class, and refuses time seek", async () => {
    const photoUrl = f.url(`/res/${f.id(PHOTO)}.jpg`);
    const cases: Array<[string, string[], number, string | undefined]> = [
      [filmUrl, ["-H", "transferMode.dlna.org: Background"], 200, "Background"],
      [filmUrl, ["-H", "transferMode.dlna.org: streaming"], 200, "Streaming"],
      [filmUrl, ["-H", "transferMode.dlna.org: Interactive"], 406, undefined],
      [filmUrl, ["-H", "TimeSeekRange.dlna.org: npt=10-"], 406, undefined],
      [filmUrl, ["-H", "PlaySpeed.dlna.org: speed=2"], 406, undefined],
      [filmUrl, ["-H", "PlaySpeed.dlna.org: speed=1"], 200, "Streaming"],
      [photoUrl, [], 200, "Interactive"],
      [photoUrl, ["-H", "transferMode.dlna.org: Background"], 200, "Background"],
      [photoUrl, ["-H", "transferMode.dlna.org: Streaming"], 406, undefined],
    ];
    for (const [url, args, status, mode] of cases) {
      const reply = await curl(url, ["-r", "0-0", ...args]);
      const label = `${url} ${args.join(" ")}`;
      assert.equal(reply.status === 206 ? 200 : reply.status, status, label);
      assert.equal(reply.header("transfermode.dlna.org"), mode, label);
    }
  });

  it("sends contentFeatures with the catalog's profile, and none for a file without one", async () => {
    const cases: Array<[string, string, string]> = [
      [PHOTO, "jpg", `DLNA.ORG_PN=JPEG_MED;DLNA.ORG_OP=01;DLNA.ORG_CI=0;${STILL_FLAGS}`],
      [TRACK_MP3, "mp3", `DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;${AV_FLAGS}`],
      [TRACK_FLAC, "flac", `DLNA.ORG_OP=01;DLNA.ORG_CI=0;${AV_FLAGS}`],
    ];
    for (const [relPath, ext, features] of cases) {
      const reply = await curl(f.url(`/res/${f.id(relPath)}.${ext}`), [
        "-H",
        "getcontentFeatures.dlna.org: 1",
      ]);
      assert.equal(reply.status, 200, relPath);
      assert.equal(reply.header("contentfeatures.dlna.org"), features, relPath);
      assert.ok(reply.body.equals(await readFile(join(f.root, relPath))), relPath);
    }
  });

  it("gives Samsung's getCaptionInfo.sec the first subtitle's URL, only for a video with one", async () => {
    const asked = ["-r", "0-0", "-H", "getCaptionInfo.sec: 1"];
    const withSubs = await curl(filmUrl, asked);
    assert.equal(
      withSubs.header("captioninfo.sec"),
      `${f.http.url}/media/res/${f.id(FILM)}/sub/0.srt`,
    );
    const withoutSubs = await curl(f.url(`/res/${f.id("Videos/Clips/cif15.mp4")}.mp4`), asked);
    assert.equal(withoutSubs.status, 206);
    assert.equal(withoutSubs.header("captioninfo.sec"), undefined);
    const caption = await curl(withSubs.header("captioninfo.sec") ?? "");
    assert.ok(caption.body.equals(await readFile(join(f.root, "Videos/Film.srt"))));
  });

  it("serves sidecar subtitles byte-exact with their own MIME type, Interactive", async () => {
    const id = f.id(FILM);
    const cases: Array<[string, string, string]> = [
      ["0.srt", "Videos/Film.srt", "text/srt"],
      ["1.ass", "Videos/Film.ass", "text/x-ass"],
      ["4.vtt", "Videos/Film.pt-BR.vtt", "text/vtt"],
      ["4", "Videos/Film.pt-BR.vtt", "text/vtt"],
    ];
    for (const [name, relPath, mime] of cases) {
      const reply = await curl(f.url(`/res/${id}/sub/${name}`));
      assert.equal(reply.status, 200, name);
      assert.equal(reply.header("content-type"), mime, name);
      assert.equal(reply.header("transfermode.dlna.org"), "Interactive", name);
      assert.equal(reply.header("contentfeatures.dlna.org"), "*", name);
      assert.ok(reply.body.equals(await readFile(join(f.root, relPath))), name);
    }
    const ranged = await curl(f.url(`/res/${id}/sub/4.vtt`), ["-r", "0-5"]);
    assert.equal(ranged.status, 206);
    const streamed = await curl(f.url(`/res/${id}/sub/0.srt`), [
      "-H",
      "transferMode.dlna.org: Streaming",
    ]);
    assert.equal(streamed.status, 406);
  });

  it("answers 404 for unknown ids, bad subtitle indexes and ids that are not items", async () => {
    const film = f.id(FILM);
    const paths = [
      "/res/i999999.mp4",
      "/res/izz.mp4",
      "/res/0.mp4",
      "/res/1%244.mp4",
      "/res/zzzzzzzzzzzz.mp4",
      `/res/${film}/sub/5.srt`,
      `/res/${film}/sub/01.srt`,
      `/res/${film}/sub/-1.srt`,
      `/res/${f.id(TRACK_MP3)}/sub/0.srt`,
      "/res/i999999/sub/0.srt",
      "/art/i999999.jpg",
      `/art/${film}.png`,
      "/art/zzzzzzzzzzzz.jpg",
    ];
    for (const path of paths) {
      const reply = await curl(f.url(path));
      assert.equal(reply.status, 404, path);
      assert.ok(reply.body.length < 100, path);
    }
  });

  it("never serves a file outside the catalog, whatever the path holds", async () => {
    const film = f.id(FILM);
    const paths = [
      "/res/..%2f..%2f..%2fetc%2fpasswd",
      "/res/..%2F..%2F..%2Fetc%2Fpasswd.mp4",
      `/res/${film}/../../../../etc/passwd`,
      "/res/../../../../etc/passwd",
      `/res/${film}.mp4%2f..%2f..%2fetc%2fpasswd`,
      `/res/${film}.%2e%2e%2fx`,
      `/res/${film}%00.mp4`,
      `/res/${film}.mp4%00`,
      `/res/%2fetc%2fpasswd`,
      `/res/${film}/sub/..%2f..%2fetc%2fpasswd`,
      `/res/${film}/sub/0.srt%2f..`,
      "/art/..%2f..%2fetc%2fpasswd.jpg",
      `/res/i${"1".repeat(5000)}.mp4`,
      `/res/${"1%24".repeat(200)}${film}.mp4`,
    ];
    for (const path of paths) {
      const reply = await curl(f.url(path));
      assert.equal(reply.status, 404, path);
      assert.ok(!reply.body.toString("latin1").includes("root:"), path);
    }
    // Broken percent-encoding never reaches a route: the router refuses the URL itself.
    assert.equal((await curl(f.url("/res/%zz.mp4"))).status, 400);
  });

  it("answers only GET and HEAD", async () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      const reply = await curl(filmUrl, ["-X", method]);
      assert.equal(reply.status, 404, method);
      assert.equal(reply.body.length < 200, true, method);
    }
  });
});
