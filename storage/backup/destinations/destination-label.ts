import type { BackupDestination } from "../config-schema.js";

/** A destination as people read it, from the config alone (no secrets resolved, no I/O). */
export function destinationLabel(dest: BackupDestination): string {
  switch (dest.type) {
    case "local":
      return dest.path;
    case "smb": {
      const port = dest.port ? `:${dest.port}` : "";
      return `smb://${dest.host}${port}/${[dest.share, dest.path].filter(Boolean).join("/")}`;
    }
    case "sftp":
      return dest.url;
    case "s3":
      return `${dest.endpoint.replace(/\/+$/, "")}/${[dest.bucket, dest.path].filter(Boolean).join("/")}`;
  }
}
