import assert from "node:assert/strict";
import { testServer, login } from "./test-server.js";
it("smoke", async () => {
  const t = await testServer();
  const app = t.server.app;
  console.log((await app.inject("/healthz")).body);
  console.log((await app.inject("/api/status")).statusCode);
  const s = await login(t);
  console.log((await app.inject({ url: "/api/status", headers: { cookie: s.cookie } })).statusCode);
  console.log((await app.inject({ url: "/media/x" })).body);
  console.log((await app.inject({ url: "/" })).statusCode, (await app.inject({ url: "/" })).body.slice(0,50));
  console.log((await app.inject({ url: "/metrics", headers: { cookie: s.cookie } })).body.slice(0,300));
  console.log(t.logLines);
  assert.ok(true);
  await t.dispose();
});
