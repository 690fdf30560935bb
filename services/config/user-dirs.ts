import { readFileSync } from "node:fs";
import { isAbsolute, join, normalize } from "node:path";

/** The user's media folders; null when the user disabled one (xdg-user-dirs: set to $HOME). */
export interface UserMediaDirs {
  readonly music: string | null;
  readonly videos: string | null;
  readonly pictures: string | null;
}

/**
 * The user's Music, Videos and Pictures folders as xdg-user-dirs names them in
 * `$XDG_CONFIG_HOME/user-dirs.dirs` (default `~/.config/user-dirs.dirs`), e.g. `~/Musik` on a
 * German desktop; `~/Music`, `~/Videos`, `~/Pictures` where the file does not say. Whether the
 * folders exist is the caller's question.
 */
export function userMediaDirs(options: { homeDir: string; env: NodeJS.ProcessEnv }): UserMediaDirs {
  const home = normalize(options.homeDir);
  const configHome = options.env.XDG_CONFIG_HOME;
  const base = configHome && isAbsolute(configHome) ? configHome : join(home, ".config");
  const set = parseUserDirs(readOptional(join(base, "user-dirs.dirs")), home);
  const pick = (key: string, fallback: string) =>
    set.has(key) ? set.get(key)! : join(home, fallback);
  return {
    music: pick("MUSIC", "Music"),
    videos: pick("VIDEOS", "Videos"),
    pictures: pick("PICTURES", "Pictures"),
  };
}

/** `XDG_MUSIC_DIR="$HOME/Musik"` lines → MUSIC → /home/me/Musik (null when set to $HOME). */
function parseUserDirs(text: string, home: string): Map<string, string | null> {
  const dirs = new Map<string, string | null>();
  for (const line of text.split("\n")) {
    const match = /^\s*XDG_([A-Z]+)_DIR\s*=\s*"([^"]*)"\s*$/.exec(line);
    if (match === null) continue;
    const [, key = "", raw = ""] = match;
    const rest = /^\$(HOME|\{HOME\})(\/.*)?$/.exec(raw);
    // The format allows only $HOME-relative or absolute paths; skip anything else.
    const path = rest ? join(home, rest[2] ?? "") : isAbsolute(raw) ? normalize(raw) : undefined;
    if (path === undefined) continue;
    dirs.set(key, path.replace(/\/+$/, "") === home.replace(/\/+$/, "") ? null : path);
  }
  return dirs;
}

function readOptional(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    // Missing or unreadable: the file only renames folders, and the English names are the
    // documented fallback, so the embedded default is still right.
    return "";
  }
}
