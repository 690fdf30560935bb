import { execFileSync, spawnSync } from "node:child_process";

/**
 * Creates a local user with a home and `password`, for tests that log in through a real agetty
 * (root only). A user left by a crashed run is removed first. Returns the function that removes
 * the user again; call it only once the user's processes are gone (userdel refuses otherwise).
 */
export function createLoginUser(name: string, password: string): () => void {
  if (spawnSync("id", [name]).status === 0)
    execFileSync("userdel", ["-r", "-f", name], { stdio: "ignore" });
  execFileSync("useradd", ["-m", "-s", "/bin/bash", name]);
  execFileSync("chpasswd", { input: `${name}:${password}\n` });
  return () => execFileSync("userdel", ["-r", "-f", name], { stdio: "ignore" });
}
