import assert from "node:assert/strict";
import { join } from "node:path";
import { DASHBOARD_PUBLIC_DIR } from "../../../services/dashboard/dashboard-routes.js";
import { testServer, type TestServer } from "../http/test-server.js";

describe("dashboard routes", () => {
  let t: TestServer;
  before(async () => {
    t = await testServer();
  });
  after(async () => t.dispose());

  it("finds its files next to the module (works from services/ and from dist/services/)", () => {
    assert.equal(
      DASHBOARD_PUBLIC_DIR,
      join(process.cwd(), "services", "dashboard", "public") + "/",
    );
  });

  it("serves the page at / without a login, under the Content-Security-Policy", async () => {
    const response = await t.server.app.inject("/");
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers["content-type"]), /^text\/html/);
    assert.match(response.body, /<title>hearth<\/title>/);
    assert.match(String(response.headers["content-security-policy"]), /script-src 'self'/);
    assert.ok(response.headers.etag, "an ETag, so browsers revalidate after an upgrade");
  });

  it("serves every module the page loads, with JavaScript and CSS types", async () => {
    const seen = new Set<string>();
    const queue = ["/app.js"];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await t.server.app.inject(path);
      assert.equal(response.statusCode, 200, path);
      assert.match(String(response.headers["content-type"]), /javascript/, path);
      for (const [, imported] of response.body.matchAll(/from "\.\/([a-z-]+\.js)"/g))
        queue.push(`/${imported}`);
    }
    assert.ok(seen.size >= 8, `expected the app's modules, got ${[...seen].join(", ")}`);
    const page = (await t.server.app.inject("/")).body;
    const sheets = [...page.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(sheets.length > 0);
    for (const sheet of sheets) {
      const css = await t.server.app.inject(sheet);
      assert.equal(css.statusCode, 200, sheet);
      assert.match(String(css.headers["content-type"]), /^text\/css/, sheet);
    }
    assert.equal((await t.server.app.inject("/favicon.svg")).statusCode, 200);
  });

  it("answers a missing file with JSON 404", async () => {
    const response = await t.server.app.inject("/nope.js");
    assert.equal(response.statusCode, 404);
  });
});
