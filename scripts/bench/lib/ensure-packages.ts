import { execFileSync } from "node:child_process";

/** Installs missing Debian packages a benchmark's peers need (root only; benches run as root here). */
export function ensurePackages(packages: readonly string[]): void {
  const missing = packages.filter((p) => {
    try {
      const status = execFileSync("dpkg-query", ["-W", "-f=${Status}", p], { stdio: "pipe" });
      return !status.toString().includes("install ok installed");
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`this benchmark needs: sudo apt-get install -y ${missing.join(" ")}`);
  }
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}
