import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../../services/config/index.js";
import { tempDir } from "./temp-dir.js";

describe("loadConfig", () => {
  let dir: ReturnType<typeof tempDir>;
  let cliFile: string;
  let envFile: string;
  let defaultFile: string;
  beforeEach(() => {
    dir = tempDir();
    cliFile = dir.write("cli.yaml", "http: { port: 1001 }\n");
    envFile = dir.write("env.yaml", "http: { port: 1002 }\n");
    defaultFile = dir.write("etc/hearth.yaml", "http: { port: 1003 }\n");
  });
  afterEach(() => dir.remove());

  const missing = () => join(dir.path, "nowhere.yaml");

  it("reads --config first", () => {
    const loaded = loadConfig({
      path: cliFile,
      env: { HEARTH_CONFIG: envFile },
      defaultPath: defaultFile,
    });
    assert.equal(loaded.config.http.port, 1001);
    assert.equal(loaded.file, cliFile);
    assert.equal(loaded.source, "cli");
  });

  it("reads $HEARTH_CONFIG when there is no --config", () => {
    const loaded = loadConfig({ env: { HEARTH_CONFIG: envFile }, defaultPath: defaultFile });
    assert.equal(loaded.config.http.port, 1002);
    assert.equal(loaded.source, "env");
  });

  it("reads the default path when neither is given", () => {
    const loaded = loadConfig({ env: {}, defaultPath: defaultFile });
    assert.equal(loaded.config.http.port, 1003);
    assert.equal(loaded.file, defaultFile);
    assert.equal(loaded.source, "default");
  });

  it("runs the embedded default when the default path does not exist", () => {
    const loaded = loadConfig({ env: {}, defaultPath: missing(), homeDir: dir.path });
    assert.equal(loaded.file, null);
    assert.equal(loaded.source, "embedded");
    assert.equal(loaded.config.http.port, 8200);
    assert.equal(loaded.positions.of(["http", "port"]), undefined);
  });

  it("refuses a --config file that does not exist", () => {
    assert.throws(
      () => loadConfig({ path: missing(), env: {}, defaultPath: defaultFile }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(
          err.format(),
          `${missing()}: the config file named by --config does not exist; create it (etc/hearth.example.yaml shows every option) or correct the path`,
        );
        return true;
      },
    );
  });

  it("refuses a $HEARTH_CONFIG file that does not exist", () => {
    assert.throws(
      () => loadConfig({ env: { HEARTH_CONFIG: missing() }, defaultPath: defaultFile }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err
          .format()
          .startsWith(`${missing()}: the config file named by $HEARTH_CONFIG does not exist`),
    );
  });

  it("refuses a directory given as the config file", () => {
    assert.throws(
      () => loadConfig({ path: dir.path, env: {} }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.format() === `${dir.path}: this is a directory; name the YAML file itself`,
    );
  });

  it("reports problems against the file it read", () => {
    const bad = dir.write("bad.yaml", "http:\n  port: eighty\n");
    assert.throws(
      () => loadConfig({ path: bad, env: {} }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.format() === `${bad}:2:9: http.port: expected a number like 8200, got "eighty"`,
    );
  });

  it("maps key paths back to lines for later checks", () => {
    const file = dir.write("pos.yaml", "media:\n  roots:\n    - path: /srv/music\n");
    const loaded = loadConfig({ path: file, env: {} });
    assert.deepEqual(loaded.positions.of(["media", "roots", 0, "path"]), { line: 3, column: 13 });
    assert.deepEqual(loaded.positions.of(["media", "roots", 0, "path"], "key"), {
      line: 3,
      column: 7,
    });
    // An option that is not written sits where it would belong: in its parent.
    assert.deepEqual(loaded.positions.of(["media", "thumbnails"]), { line: 2, column: 3 });
  });
});
