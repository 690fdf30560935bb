import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../services/config/index.js";
import { tempDir } from "./temp-dir.js";

describe("embedded default", () => {
  let home: ReturnType<typeof tempDir>;
  beforeEach(() => (home = tempDir()));
  afterEach(() => home.remove());

  const load = (env: NodeJS.ProcessEnv = {}) =>
    loadConfig({ env, defaultPath: join(home.path, "no-such.yaml"), homeDir: home.path });
  const mkdir = (...names: string[]) => {
    for (const name of names) mkdirSync(join(home.path, name), { recursive: true });
  };

  it("shares the Music, Videos and Pictures folders that exist", () => {
    mkdir("Music", "Pictures");
    assert.deepEqual(load().config.media.roots, [
      { path: join(home.path, "Music"), kind: "music" },
      { path: join(home.path, "Pictures"), kind: "pictures" },
    ]);
  });

  it("shares nothing when none exists", () => {
    assert.deepEqual(load().config.media.roots, []);
  });

  it("follows ~/.config/user-dirs.dirs", () => {
    mkdir("Musik", "Bilder", "Videos", "Music");
    home.write(
      ".config/user-dirs.dirs",
      [
        "# This file is written by xdg-user-dirs-update",
        'XDG_DESKTOP_DIR="$HOME/Schreibtisch"',
        'XDG_MUSIC_DIR="$HOME/Musik"',
        `XDG_PICTURES_DIR="${join(home.path, "Bilder")}"`,
        "",
      ].join("\n"),
    );
    // Videos is not in the file, so the English name applies; Music is renamed, so ~/Music is not shared.
    assert.deepEqual(load().config.media.roots, [
      { path: join(home.path, "Musik"), kind: "music" },
      { path: join(home.path, "Videos"), kind: "video" },
      { path: join(home.path, "Bilder"), kind: "pictures" },
    ]);
  });

  it("skips a folder the user disabled by pointing it at $HOME", () => {
    mkdir("Music", "Videos");
    home.write(".config/user-dirs.dirs", 'XDG_MUSIC_DIR="$HOME/"\n');
    assert.deepEqual(load().config.media.roots, [
      { path: join(home.path, "Videos"), kind: "video" },
    ]);
  });

  it("reads user-dirs.dirs from $XDG_CONFIG_HOME when it is set", () => {
    mkdir("Musique");
    home.write("xdg/user-dirs.dirs", 'XDG_MUSIC_DIR="$HOME/Musique"\n');
    assert.deepEqual(load({ XDG_CONFIG_HOME: join(home.path, "xdg") }).config.media.roots, [
      { path: join(home.path, "Musique"), kind: "music" },
    ]);
  });

  it("runs the phone service with no extensions, no backups, and discovers consoles", () => {
    const { config } = load();
    assert.equal(config.pbx.enabled, true);
    assert.deepEqual(config.pbx.extensions, {});
    assert.equal(config.pbx.ami, undefined);
    assert.deepEqual(config.backup.jobs, {});
    assert.equal(config.console.autoDiscover, true);
    assert.equal(config.http.port, 8200);
  });
});
