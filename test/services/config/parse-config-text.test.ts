import assert from "node:assert/strict";
import { ConfigError, parseConfigText } from "../../../services/config/index.js";

const FILE = "/etc/hearth/hearth.yaml";

/** The problems a config text has, formatted one per line. */
function problems(text: string): string[] {
  try {
    parseConfigText(text, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.format().split("\n");
  }
  return [];
}

describe("parseConfigText", () => {
  it("accepts an empty file and fills in every default", () => {
    const { config } = parseConfigText("", FILE);
    assert.deepEqual(config.http, { port: 8200, listen: "0.0.0.0" });
    assert.deepEqual(config.log, { level: "info", services: {} });
    assert.equal(config.pbx.enabled, true);
    assert.deepEqual(config.pbx.sip.transports, ["udp", "tcp"]);
    assert.deepEqual(config.backup.jobs, {});
    assert.equal(config.console.autoDiscover, true);
    assert.equal(config.media.rescanMinutes, 60);
  });

  it("treats an empty value as not set", () => {
    const { config } = parseConfigText("dataDir:\nhttp:\n  # port: 9000\n", FILE);
    assert.equal(config.dataDir, undefined);
    assert.equal(config.http.port, 8200);
  });

  it("names file, line, column, key, what was expected and what was found", () => {
    const text = [
      "console:",
      "  ports:",
      "    board1:",
      "      path: /dev/ttyUSB0",
      "      baud: fast",
      "",
    ].join("\n");
    assert.deepEqual(problems(text), [
      '/etc/hearth/hearth.yaml:5:13: console.ports.board1.baud: expected a number like 115200, got "fast"',
    ]);
  });

  it("fills in defaults inside records and lists", () => {
    const text = "console:\n  ports:\n    board1: { path: /dev/ttyUSB0, tcp: { port: 7001 } }\n";
    const port = parseConfigText(text, FILE).config.console.ports.board1;
    assert.equal(port?.baud, 115200);
    assert.equal(port?.dtr, "keep");
    assert.deepEqual(port?.tcp, { port: 7001, listen: "127.0.0.1" });
    assert.deepEqual(port?.log, { enabled: true, maxBytes: 4194304, generations: 5 });
  });

  it("reports an unknown key at the key, with the close known key", () => {
    assert.deepEqual(problems("media:\n  rots: []\n"), [
      "/etc/hearth/hearth.yaml:2:3: media.rots: unknown option; did you mean `roots`?",
    ]);
  });

  it("lists the known keys when no key is close", () => {
    assert.deepEqual(problems("http:\n  tls: true\n"), [
      "/etc/hearth/hearth.yaml:2:3: http.tls: unknown option; expected one of port, listen",
    ]);
  });

  it("reports several problems at once, one line each, in file order", () => {
    const text = [
      "http: { port: 70000, prot: 1, lisen: x }", // 1
      "log: { level: verbose }", // 2
      "media:", // 3
      "  roots:", // 4
      "    - { path: Music, kind: movies }", // 5
      "    - kind: vidoe", // 6
      "  interfaces: eth0", // 7
      "  thumbnails: yes", // 8
      "",
    ].join("\n");
    assert.deepEqual(problems(text), [
      "/etc/hearth/hearth.yaml:1:15: http.port: expected a whole number from 1 to 65535, got 70000",
      "/etc/hearth/hearth.yaml:1:22: http.prot: unknown option; did you mean `port`?",
      "/etc/hearth/hearth.yaml:1:31: http.lisen: unknown option; did you mean `listen`?",
      '/etc/hearth/hearth.yaml:2:15: log.level: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
      '/etc/hearth/hearth.yaml:5:15: media.roots[0].path: expected an absolute path like /srv/media/Music, got "Music"',
      '/etc/hearth/hearth.yaml:5:28: media.roots[0].kind: expected one of music, video, pictures, mixed, got "movies"',
      "/etc/hearth/hearth.yaml:6:7: media.roots[1].path: expected an absolute path like /srv/media/Music, got nothing (this option is required)",
      '/etc/hearth/hearth.yaml:6:13: media.roots[1].kind: expected one of music, video, pictures, mixed, got "vidoe" (did you mean `video`?)',
      '/etc/hearth/hearth.yaml:7:15: media.interfaces: expected a list like [eth0], got "eth0"',
      '/etc/hearth/hearth.yaml:8:15: media.thumbnails: expected true or false, got "yes"',
    ]);
  });

  it("carries the problems on a ConfigError with code E_CONFIG", () => {
    try {
      parseConfigText("http: { port: x }\nmedia: { rots: 1 }\n", FILE);
      assert.fail("expected a ConfigError");
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.code, "E_CONFIG");
      assert.deepEqual(err.problems, [
        {
          file: FILE,
          line: 1,
          column: 15,
          path: "http.port",
          message: 'expected a number like 8200, got "x"',
        },
        {
          file: FILE,
          line: 2,
          column: 10,
          path: "media.rots",
          message: "unknown option; did you mean `roots`?",
        },
      ]);
      assert.equal(err.message, `${FILE} has 2 problems:\n${err.format()}`);
    }
  });

  it("reports every YAML syntax error with its line and column", () => {
    assert.deepEqual(problems("http:\n  port: [8200\nlog:\n  level: info\n   x: y\n"), [
      "/etc/hearth/hearth.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      "/etc/hearth/hearth.yaml:4:10: invalid YAML: Nested mappings are not allowed in compact mappings",
      "/etc/hearth/hearth.yaml:4:10: invalid YAML: Implicit keys need to be on a single line",
    ]);
  });

  it("reports a repeated key as a YAML error", () => {
    assert.deepEqual(problems("http: {}\nhttp: {}\n"), [
      "/etc/hearth/hearth.yaml:2:1: invalid YAML: Map keys must be unique",
    ]);
  });

  it("refuses a file that is not a mapping", () => {
    assert.deepEqual(problems("- media\n"), [
      "/etc/hearth/hearth.yaml:1:1: expected a mapping (key: value pairs), got a list",
    ]);
  });

  it("refuses a plain-string secret without echoing it", () => {
    const lines = problems(
      'pbx:\n  extensions:\n    "1001": { name: Office, password: hunter2 }\n',
    );
    assert.deepEqual(lines, [
      "/etc/hearth/hearth.yaml:3:39: pbx.extensions.1001.password: expected a secret reference { file: /etc/hearth/secrets/<name> } or { env: VARIABLE_NAME }, got a plain string; secrets are never written into the config file: put it in a file only hearth can read, or in an environment variable",
    ]);
    assert.ok(!lines.join("\n").includes("hunter2"));
  });

  it("explains a misspelt secret reference", () => {
    const text = "pbx:\n  ami: { user: hearth, secret: { fiel: /etc/hearth/secrets/ami } }\n";
    assert.deepEqual(problems(text), [
      "/etc/hearth/hearth.yaml:2:32: pbx.ami.secret: expected a secret reference { file: /etc/hearth/secrets/<name> } or { env: VARIABLE_NAME }, got unknown key `fiel` (did you mean `file`?)",
    ]);
  });

  it("names the allowed values of a discriminator", () => {
    const text = "pbx:\n  voicemail:\n    gv: { source: pop3, host: x }\n    other: { host: y }\n";
    assert.deepEqual(problems(text), [
      '/etc/hearth/hearth.yaml:3:19: pbx.voicemail.gv.source: expected one of imap, command, http, asterisk, got "pop3"',
      "/etc/hearth/hearth.yaml:4:12: pbx.voicemail.other.source: expected one of imap, command, http, asterisk, got nothing (this option is required)",
    ]);
  });

  it("checks the options of the chosen branch of a union", () => {
    const text = [
      "backup:",
      "  jobs:",
      "    docs:",
      "      sources: [/home/me]",
      "      password: { env: RESTIC_PASSWORD }",
      "      destinations:",
      "        - { type: sftp, url: nas:/srv, identityfile: /k }",
      "",
    ].join("\n");
    assert.deepEqual(problems(text), [
      '/etc/hearth/hearth.yaml:7:30: backup.jobs.docs.destinations[0].url: expected a restic sftp URL like "sftp:backup@nas:/srv/restic/box", got "nas:/srv"',
      "/etc/hearth/hearth.yaml:7:40: backup.jobs.docs.destinations[0].identityfile: unknown option; did you mean `identityFile`?",
    ]);
  });

  it("refuses a record key of the wrong form at the key", () => {
    const text = "pbx:\n  extensions:\n    office: { name: Office, password: { env: X } }\n";
    assert.deepEqual(problems(text), [
      '/etc/hearth/hearth.yaml:3:5: pbx.extensions.office: expected an extension number made of digits like "1001", got "office"',
    ]);
  });

  it("checks that an extension's mailbox names a voicemail source", () => {
    const text = [
      "pbx:",
      "  extensions:",
      '    "1001": { name: Office, password: { env: X }, mailbox: gv-mian }',
      "  voicemail:",
      "    gv-main: { source: command, command: /bin/true }",
      "",
    ].join("\n");
    assert.deepEqual(problems(text), [
      '/etc/hearth/hearth.yaml:3:60: pbx.extensions.1001.mailbox: expected the name of a voicemail source under pbx.voicemail (one of gv-main), got "gv-mian" (did you mean `gv-main`?)',
    ]);
  });

  it("checks a cron schedule and a local destination below its mount point", () => {
    const text = [
      "backup:",
      "  jobs:",
      "    docs:",
      "      sources: [/home/me]",
      "      password: { file: /etc/hearth/secrets/restic }",
      '      schedule: "every night"',
      "      destinations: [{ type: local, path: /srv/backup, requireMount: /media/usb }]",
      "",
    ].join("\n");
    assert.deepEqual(problems(text), [
      '/etc/hearth/hearth.yaml:6:17: backup.jobs.docs.schedule: expected a cron schedule like "0 3 * * *" or one of @hourly, @daily, @weekly, @monthly, got "every night"',
      '/etc/hearth/hearth.yaml:7:43: backup.jobs.docs.destinations[0].path: expected a path at or below requireMount (/media/usb), got "/srv/backup"',
    ]);
  });

  it("explains ~ in a path", () => {
    assert.deepEqual(problems("dataDir: ~/hearth\n"), [
      '/etc/hearth/hearth.yaml:1:10: dataDir: expected an absolute path like /var/lib/hearth, got "~/hearth" (hearth does not expand ~; write the full path)',
    ]);
  });
});

describe("parseConfigText hints", () => {
  it("says to drop the quotes around a number or a boolean", () => {
    assert.deepEqual(problems('http: { port: "8080" }\nmedia: { thumbnails: "false" }\n'), [
      '/etc/hearth/hearth.yaml:1:15: http.port: expected a number like 8200, got "8080" (write it without quotes)',
      '/etc/hearth/hearth.yaml:2:22: media.thumbnails: expected true or false, got "false" (write it without quotes)',
    ]);
  });
});
