import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../version.js";
import { EXIT } from "../host/shutdown.js";
import type { BackupCliOptions as BackupOpts } from "./backup-command.js";

/**
 * The `hearth` command line. Exit codes: 0 ok, 1 failed, 2 usage error, 78 invalid config on start.
 * Returns the exit code instead of exiting so tests can drive it in-process; `start` never returns
 * while the daemon runs.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("hearth")
    .description(
      "hearth turns this box into the household's home server: media (DLNA), phones (SIP), backups and serial consoles.",
    )
    .version(VERSION, "-V, --version", "print hearth's version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("start")
    .description("run hearth in the foreground (systemd runs this); no config file needed")
    .option(
      "-c, --config <file>",
      "config file (default: $HEARTH_CONFIG, else /etc/hearth/hearth.yaml, else built-in defaults)",
    )
    .option(
      "-d, --data <dir>",
      "data dir (default: config dataDir, $HEARTH_DATA, $STATE_DIRECTORY, ~/.local/share/hearth)",
    )
    .addOption(
      new Option(
        "-p, --port <port>",
        "HTTP port for the dashboard and media (overrides http.port)",
      ).argParser(parsePort),
    )
    .option("-l, --listen <address>", "address for the dashboard and media (overrides http.listen)")
    .action(async (opts: { config?: string; data?: string; port?: number; listen?: string }) => {
      // Loaded on demand: `hearth --version` and `hearth status` stay quick on a slow ARM box.
      code = await (await import("./start-command.js")).startCommand(opts);
    });

  program
    .command("status")
    .description("show the running hearth's services and their state")
    .option("--json", "print the full status as JSON")
    .option("-c, --config <file>", "config file, to find the data dir")
    .option("-d, --data <dir>", "data dir of the hearth to ask")
    .option(
      "-s, --socket <path>",
      "control socket (default: /run/hearth/hearth.sock, then <data>/hearth.sock)",
    )
    .action(async (opts: { json?: boolean; config?: string; data?: string; socket?: string }) => {
      code = await (await import("./status-command.js")).statusCommand(opts);
    });

  program
    .command("scan")
    .description("rescan the media folders now (changed files only, or everything with --full)")
    .option("--full", "read every file's metadata again, not only changed files")
    .option("-w, --wait", "follow the scan's progress until it is done")
    .option("-c, --config <file>", "config file, to find the data dir")
    .option("-d, --data <dir>", "data dir of the hearth to ask")
    .option("-s, --socket <path>", "control socket")
    .action(
      async (opts: {
        full?: boolean;
        wait?: boolean;
        config?: string;
        data?: string;
        socket?: string;
      }) => {
        code = await (await import("./scan-command.js")).scanCommand(opts);
      },
    );

  const backup = program
    .command("backup")
    .description("encrypted restic backups: list, run, check, snapshots, find, restore");
  const common = (command: Command) =>
    command
      .option("--json", "print JSON for scripts")
      .option("-c, --config <file>", "config file")
      .option("-d, --data <dir>", "data dir")
      .option("-s, --socket <path>", "control socket of the hearth to ask");
  const destination = () =>
    new Option("--destination <n>", "which of the job's destinations (from 0)").argParser(
      parseIndex,
    );
  const load = () => import("./backup-command.js");
  for (const name of ["list", "status"]) {
    common(backup.command(name))
      .description("show every job: state, last and next run, progress")
      .action(async (opts: BackupOpts) => {
        code = await (await load()).backupStatusCommand(opts);
      });
  }
  common(backup.command("run"))
    .argument("<job>", "job name from the config file")
    .description("back up now and wait for it (through the running hearth, else in this process)")
    .option("-w, --wait", "wait for the run to end (the default)")
    .option("--no-wait", "only start it (through a running hearth)")
    .option("--init", "create a new repository where one has gone missing")
    .action(async (job: string, opts: BackupOpts & { wait?: boolean; init?: boolean }) => {
      code = await (await load()).backupRunCommand(job, "backup", opts);
    });
  common(backup.command("check"))
    .argument("<job>", "job name")
    .description("verify the job's repositories (restic check, plus the configured read-back)")
    .action(async (job: string, opts: BackupOpts) => {
      code = await (await load()).backupRunCommand(job, "check", opts);
    });
  common(backup.command("snapshots"))
    .argument("<job>", "job name")
    .description("list the job's snapshots, newest first")
    .addOption(destination())
    .action(async (job: string, opts: BackupOpts & { destination?: number }) => {
      code = await (await load()).backupSnapshotsCommand(job, opts);
    });
  common(backup.command("find"))
    .argument("<job>", "job name")
    .argument("<pattern>", 'file name or glob, e.g. "report*.odt"')
    .description("find a file by name across the job's snapshots")
    .addOption(destination())
    .action(async (job: string, pattern: string, opts: BackupOpts & { destination?: number }) => {
      code = await (await load()).backupFindCommand(job, pattern, opts);
    });
  common(backup.command("restore"))
    .argument("<job>", "job name")
    .argument("<snapshot>", "snapshot id, or latest")
    .argument("[path]", "only this file or folder (absolute, as backed up)")
    .description("restore a snapshot, or a file or folder of it, into a new folder")
    .requiredOption("-t, --to <dir>", "folder to restore into (must be new or empty)")
    .option("--overwrite", "allow restoring into a folder that has files")
    .addOption(destination())
    .action(
      async (
        job: string,
        snapshot: string,
        path: string | undefined,
        opts: BackupOpts & { to: string; destination?: number; overwrite?: boolean },
      ) => {
        code = await (await load()).backupRestoreCommand(job, snapshot, path, opts);
      },
    );

  const pbx = program
    .command("pbx")
    .description("phones: registered extensions, voicemail lamps, the Asterisk link");
  common(pbx.command("status"))
    .description("extensions, their phones and lamps, voicemail sources, the Asterisk link")
    .action(async (opts: BackupOpts) => {
      code = await (await import("./pbx-command.js")).pbxStatusCommand(opts);
    });
  common(pbx.command("call"))
    .argument("<from>", "extension to ring first")
    .argument("<to>", "number Asterisk dials once it answers")
    .description("click-to-call through Asterisk (needs pbx.ami)")
    .action(async (from: string, to: string, opts: BackupOpts) => {
      code = await (await import("./pbx-command.js")).pbxCallCommand(from, to, opts);
    });
  common(pbx.command("mwi"))
    .argument("<extension>", "extension number")
    .argument("<lamp>", "on, off, or auto (follow the mailbox again)")
    .description("force a phone's message-waiting lamp on or off to test it")
    .action(async (extension: string, lamp: string, opts: BackupOpts) => {
      code = await (await import("./pbx-command.js")).pbxMwiCommand(extension, lamp, opts);
    });

  const consoleCmd = program
    .command("console")
    .description("serial consoles: list, attach, read the log, break, power-cycle");
  const loadConsole = () => import("./console-command.js");
  common(consoleCmd.command("list"))
    .description("every port: state, settings, who is attached, TCP port, power control")
    .action(async (opts: BackupOpts) => {
      code = await (await loadConsole()).consoleListCommand(opts);
    });
  common(consoleCmd.command("attach"))
    .argument("<name>", "console port name (see `hearth console list`)")
    .option("--ro", "watch only (a spectator); never type into the board")
    .option("--force", "take the write lock from whoever is writing")
    .description("the port's terminal here; Ctrl-E c . detaches, Ctrl-E c ? lists the escapes")
    .action(async (name: string, opts: BackupOpts & { ro?: boolean; force?: boolean }) => {
      code = await (await loadConsole()).consoleAttachCommand(name, opts);
    });
  common(consoleCmd.command("log"))
    .argument("<name>", "console port name")
    .option("-f, --follow", "keep printing what the port says, across log rotation")
    .option("--bytes <n>", "how much of the end of the log to print first", "65536")
    .description("the port's timestamped log, read from the files (works while hearth is stopped)")
    .action(async (name: string, opts: BackupOpts & { follow?: boolean; bytes?: string }) => {
      code = await (await loadConsole()).consoleLogCommand(name, opts);
    });
  common(consoleCmd.command("break"))
    .argument("<name>", "console port name")
    .description("send a serial break (magic SysRq, U-Boot, ROMMON)")
    .action(async (name: string, opts: BackupOpts) => {
      code = await (await loadConsole()).consoleBreakCommand(name, opts);
    });
  common(consoleCmd.command("power-cycle"))
    .argument("<name>", "console port name")
    .description("cut the board's power and restore it, through the port's power driver")
    .action(async (name: string, opts: BackupOpts) => {
      code = await (await loadConsole()).consolePowerCommand(name, "cycle", opts);
    });
  common(consoleCmd.command("power"))
    .argument("<name>", "console port name")
    .argument("<action>", "on, off or cycle")
    .description("switch the board's power on or off, or cycle it")
    .action(async (name: string, action: string, opts: BackupOpts) => {
      code = await (await loadConsole()).consolePowerCommand(name, action, opts);
    });

  program
    .command("config")
    .description("work with the config file")
    .command("check")
    .argument("[file]", "file to check (default: the one `hearth start` would read)")
    .description("validate a config file and the secrets it references; print every problem")
    .action(async (file: string | undefined) => {
      code = await (await import("./config-check-command.js")).configCheckCommand(file);
    });

  try {
    await program.parseAsync(argv, { from: "node" });
  } catch (err) {
    if (err instanceof CommanderError) {
      const isInfo = ["commander.helpDisplayed", "commander.version", "commander.help"].includes(
        err.code,
      );
      return isInfo ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
  return code;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseIndex(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`expected a number from 0, got "${value}"`);
  }
  return n;
}
