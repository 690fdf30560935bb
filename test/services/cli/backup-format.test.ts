import assert from "node:assert/strict";
import { progressBar } from "../../../services/cli/backup-format.js";

describe("hearth backup's progress bar", () => {
  const progress = {
    job: "documents",
    kind: "backup" as const,
    startedAt: "2026-11-24T01:00:00.000Z",
    destination: "/media/usb/backup",
    percent: 45,
    bytesDone: 1288490188,
    totalBytes: 2791728742,
    filesDone: 900,
    totalFiles: 2000,
    bytesPerSecond: 36700160,
    etaSeconds: 40.4,
    currentFile: "/home/me/Documents/tax.ods",
  };

  it("shows share, bytes, speed, ETA and the current file", () => {
    assert.equal(
      progressBar(progress, 120).trimEnd(),
      "[#########-----------]  45 %  1.2 GiB of 2.6 GiB  35.0 MiB/s  ETA 40 s  /home/me/Documents/tax.ods",
    );
  });

  it("fits the terminal: cut to its width, padded so a shorter line erases a longer one", () => {
    assert.equal(progressBar(progress, 40).length, 39);
    assert.equal(progressBar({ ...progress, currentFile: null }, 100).length, 99);
  });
});
