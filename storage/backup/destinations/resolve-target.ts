import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { resolveSecret } from "../../../services/config/secret-ref.js";
import type { BackupDestination } from "../config-schema.js";
import { BackupFailure } from "../backup-failure.js";
import { guardMount, type DiskRegistry } from "./mount-guard.js";
import type { RepositoryTarget } from "./repository-target.js";

export interface TargetContext {
  /** Which disk belongs at which mount point (local destinations with requireMount). */
  disks: DiskRegistry;
  /** hearth's backup data dir: its own known_hosts for SFTP lives here. */
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Tests only: another mountinfo file. */
  mountinfo?: string;
}

/**
 * Turns a configured destination into the restic repository to call, with secrets resolved into
 * the child's environment only. Async because an SMB password has to be put in rclone's obscured
 * form by rclone itself.
 * @throws BackupFailure "secret" when a referenced secret cannot be read.
 */
export async function resolveTarget(
  dest: BackupDestination,
  ctx: TargetContext,
): Promise<RepositoryTarget> {
  switch (dest.type) {
    case "local": {
      const mount = dest.requireMount?.replace(/\/+$/, "") || undefined;
      return target("local", dest.path, {
        label: mount ? `backup disk ${dest.path}` : dest.path,
        ...(mount ? { guard: () => guardMount(mount, ctx.disks, ctx) } : {}),
      });
    }
    case "smb": {
      const password = secret(dest.password, "SMB password", ctx);
      const path = [dest.share, dest.path].filter(Boolean).join("/").replace(/\/+/g, "/");
      const env: Record<string, string> = {
        // Empty: rclone keeps its config in memory and never writes ~/.config/rclone.
        RCLONE_CONFIG: "",
        RCLONE_SMB_HOST: dest.host,
        RCLONE_SMB_USER: dest.user,
        RCLONE_SMB_PASS: await rcloneObscure(password),
      };
      if (dest.port !== undefined) env.RCLONE_SMB_PORT = String(dest.port);
      if (dest.domain) env.RCLONE_SMB_DOMAIN = dest.domain;
      const port = dest.port === undefined ? "" : `:${dest.port}`;
      return target("smb", `rclone::smb:${path}`, {
        label: `smb://${dest.host}${port}/${path}`,
        env,
      });
    }
    case "sftp": {
      const { user, host, port } = sftpAddress(dest.url);
      const knownHosts = dest.knownHostsFile ?? join(ctx.dataDir, "known_hosts");
      const ssh = [
        "ssh",
        ...(port ? ["-p", port] : []),
        ...(dest.identityFile ? ["-i", dest.identityFile, "-o", "IdentitiesOnly=yes"] : []),
        "-o",
        `UserKnownHostsFile=${knownHosts}`,
        // A pinned known_hosts file is enforced; hearth's own one trusts the first key it sees.
        "-o",
        `StrictHostKeyChecking=${dest.knownHostsFile ? "yes" : "accept-new"}`,
        "-o",
        "BatchMode=yes",
        "-o",
        "ServerAliveInterval=30",
        user ? `${user}@${host}` : host,
      ];
      return target("sftp", dest.url, {
        label: dest.url,
        args: ["-o", `sftp.command=${[...ssh, "-s", "sftp"].map(shellWord).join(" ")}`],
        // restic may exit before it has passed on ssh's complaint: ask ssh itself.
        diagnose: () => sshDiagnosis(ssh),
      });
    }
    case "s3": {
      const endpoint = dest.endpoint.replace(/\/+$/, "");
      const repo = `s3:${[endpoint, dest.bucket, dest.path].filter(Boolean).join("/")}`;
      const env: Record<string, string> = {
        AWS_ACCESS_KEY_ID: secret(dest.accessKeyId, "S3 access key id", ctx),
        AWS_SECRET_ACCESS_KEY: secret(dest.secretAccessKey, "S3 secret access key", ctx),
      };
      if (dest.region) env.AWS_DEFAULT_REGION = dest.region;
      return target("s3", repo, {
        label: `${endpoint}/${[dest.bucket, dest.path].filter(Boolean).join("/")}`,
        env,
        args: dest.caCertFile ? ["--cacert", dest.caCertFile] : [],
      });
    }
  }
}

function target(
  type: RepositoryTarget["type"],
  repo: string,
  rest: Partial<Pick<RepositoryTarget, "args" | "env" | "guard" | "diagnose">> & { label: string },
): RepositoryTarget {
  const id = createHash("sha256").update(`${type}\0${repo}`).digest("hex").slice(0, 12);
  return { id, type, repo, args: rest.args ?? [], env: rest.env ?? {}, ...rest };
}

function secret(
  ref: Parameters<typeof resolveSecret>[0],
  what: string,
  ctx: TargetContext,
): string {
  try {
    return resolveSecret(ref, ctx.env);
  } catch (err) {
    const fix = (err as { fix?: string }).fix ?? "Check the secret reference in the config file.";
    throw new BackupFailure("secret", `cannot read the ${what}: ${(err as Error).message}`, fix);
  }
}

/** `sftp:user@host:/path` or `sftp://user@host:port//path`: who and where ssh connects. */
function sftpAddress(url: string): { user?: string; host: string; port?: string } {
  const long = /^sftp:\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\//.exec(url);
  const short = /^sftp:(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+):/.exec(url);
  const m = long ?? short;
  if (!m?.[2]) {
    throw new BackupFailure(
      "failed",
      `cannot read the host out of the sftp URL ${url}`,
      'Write it like "sftp:backup@nas:/srv/restic/box" or "sftp://backup@nas:2222//srv/restic/box".',
    );
  }
  return {
    ...(m[1] ? { user: m[1] } : {}),
    host: m[2].replace(/^\[|\]$/g, ""),
    ...(long?.[3] ? { port: long[3] } : {}),
  };
}

/** restic splits sftp.command like a shell: quote words holding spaces or quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * rclone's reversible "obscure" encoding of a password, made by rclone itself (stdin, so the
 * password never shows in `ps`). It is encoding, not protection: it only ever lives in the env.
 */
function rcloneObscure(password: string): Promise<string> {
  // One rclone start per password and process, not per run (it costs a tenth of a second of CPU).
  const known = obscured.get(password);
  if (known) return known;
  const made = obscure(password);
  obscured.set(password, made);
  made.catch(() => obscured.delete(password));
  return made;
}

const obscured = new Map<string, Promise<string>>();

function obscure(password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("rclone", ["obscure", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("error", () =>
      reject(
        new BackupFailure(
          "restic-missing",
          "rclone is not installed (restic reaches SMB shares through it)",
          "Install it: sudo apt-get install rclone (scripts/setup does this).",
        ),
      ),
    );
    child.once("close", (code) => {
      if (code === 0 && out.trim()) resolve(out.trim());
      else
        reject(
          new BackupFailure(
            "failed",
            `rclone obscure failed: ${err.trim()}`,
            "Check that rclone works: rclone version",
          ),
        );
    });
    child.stdin.end(password);
  });
}

/** What ssh says when it tries the same connection (host key, login, network), for a failure's reason. */
function sshDiagnosis(ssh: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    const [command, ...args] = ssh;
    const child = spawn(command as string, ["-o", "ConnectTimeout=10", ...args, "exit"], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 20_000,
    });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    child.once("error", () => resolve(err));
    child.once("close", () => resolve(err));
  });
}
