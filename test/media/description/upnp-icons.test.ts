import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { imageSize } from "image-size";
import { UPNP_ICONS, iconFile } from "../../../media/description/index.js";

/** Width, height and bits per pixel from the PNG IHDR or the JPEG SOF0 header. */
function header(bytes: Buffer): { type: string; width: number; height: number; depth: number } {
  if (bytes.subarray(1, 4).toString("latin1") === "PNG") {
    const colourChannels: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
    return {
      type: "png",
      width: bytes.readUInt32BE(16),
      height: bytes.readUInt32BE(20),
      depth: (bytes[24] ?? 0) * (colourChannels[bytes[25] ?? -1] ?? 0),
    };
  }
  for (let i = 2; i + 9 < bytes.length;) {
    const marker = bytes.readUInt16BE(i);
    if (marker === 0xffc0) {
      return {
        type: "jpeg-baseline",
        height: bytes.readUInt16BE(i + 5),
        width: bytes.readUInt16BE(i + 7),
        depth: (bytes[i + 4] ?? 0) * (bytes[i + 9] ?? 0),
      };
    }
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  return { type: "unknown", width: 0, height: 0, depth: 0 };
}

describe("UPnP icons", () => {
  it("lists 48 and 120 px, PNG then JPEG, 24 bits deep", () => {
    assert.deepEqual(
      UPNP_ICONS.map((i) => `${i.path} ${i.mime} ${i.width}x${i.height}x${i.depth}`),
      [
        "/upnp/icon-48.png image/png 48x48x24",
        "/upnp/icon-120.png image/png 120x120x24",
        "/upnp/icon-48.jpg image/jpeg 48x48x24",
        "/upnp/icon-120.jpg image/jpeg 120x120x24",
      ],
    );
  });

  it("has a file for every icon, of the size and depth the description says", async () => {
    for (const icon of UPNP_ICONS) {
      const file = iconFile(icon.name);
      assert.ok(file !== undefined, icon.name);
      const bytes = await readFile(file);
      const expectedType = icon.mime === "image/png" ? "png" : "jpeg-baseline";
      assert.deepEqual(header(bytes), {
        type: expectedType,
        width: icon.width,
        height: icon.height,
        depth: icon.depth,
      });
      const measured = imageSize(bytes);
      assert.deepEqual([measured.width, measured.height], [icon.width, icon.height]);
    }
  });

  it("resolves only the listed names", () => {
    for (const name of ["../upnp-icons.ts", "icon-48.gif", "", "icons/icon-48.png", "ICON-48.PNG"])
      assert.equal(iconFile(name), undefined, name);
  });

  it("are what make-icons.mjs draws, byte for byte", async () => {
    const out = await mkdtemp(join(tmpdir(), "hearth-icons-"));
    try {
      const anyIcon = iconFile("icon-48.png") ?? "";
      const script = join(dirname(dirname(anyIcon)), "make-icons.mjs");
      execFileSync(process.execPath, [script, out], { stdio: "pipe" });
      for (const icon of UPNP_ICONS) {
        const made = await readFile(join(out, icon.name));
        assert.ok(made.equals(await readFile(iconFile(icon.name) ?? "")), icon.name);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
