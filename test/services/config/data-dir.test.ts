import assert from "node:assert/strict";
import { resolveDataDir } from "../../../services/config/index.js";

describe("resolveDataDir", () => {
  const env = { HEARTH_DATA: "/env/data", STATE_DIRECTORY: "/var/lib/hearth:/var/lib/other" };
  const config = { dataDir: "/config/data" };

  it("takes --data first", () => {
    assert.equal(resolveDataDir({ cliData: "/cli/data", config, env }), "/cli/data");
  });

  it("takes the config's dataDir next", () => {
    assert.equal(resolveDataDir({ config, env }), "/config/data");
  });

  it("takes $HEARTH_DATA next", () => {
    assert.equal(resolveDataDir({ config: {}, env }), "/env/data");
  });

  it("takes the first entry of systemd's $STATE_DIRECTORY next", () => {
    const stateOnly = { STATE_DIRECTORY: env.STATE_DIRECTORY };
    assert.equal(resolveDataDir({ config: {}, env: stateOnly }), "/var/lib/hearth");
  });

  it("falls back to ~/.local/share/hearth", () => {
    assert.equal(
      resolveDataDir({ config: {}, env: {}, homeDir: "/home/me" }),
      "/home/me/.local/share/hearth",
    );
  });

  it("makes a relative --data absolute", () => {
    assert.equal(resolveDataDir({ cliData: "data", config: {}, env: {} }), `${process.cwd()}/data`);
  });
});
