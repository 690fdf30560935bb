import assert from "node:assert/strict";
import { MountTable } from "../../../media/indexer/mount-table.js";

// Lines in the kernel's own format (proc(5)); the optional fields vary in number.
const mountinfo = [
  "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
  "31 26 8:1 / /srv/media rw,noatime shared:12 - ext4 /dev/sda1 rw",
  "32 31 0:51 / /srv/media/From\\040NAS rw,relatime shared:40 master:2 - nfs4 nas:/export/music rw,vers=4.2",
  "33 26 0:52 / /mnt/cloud rw,nosuid,nodev - fuse.rclone gdrive: rw,user_id=1000",
  "34 26 8:17 / /mnt/usb rw - fuseblk /dev/sdb1 rw,user_id=0",
  "35 26 0:53 / /mnt/pool rw - fuse.mergerfs disk1:disk2 rw",
  "36 26 0:54 / /mnt/share rw - cifs //nas/share rw",
  "37 26 0:55 / /mnt/share rw - tmpfs tmpfs rw",
  "garbage line",
  "",
].join("\n");

describe("MountTable", () => {
  const table = MountTable.parse(mountinfo);

  it("finds the mount holding a path by the longest mount point, with escaped spaces", () => {
    assert.equal(table.mountOf("/srv/media/From NAS/Album")?.fsType, "nfs4");
    assert.equal(table.mountOf("/srv/media/From NAS")?.source, "nas:/export/music");
    assert.equal(table.mountOf("/srv/media/Local")?.fsType, "ext4");
    assert.equal(table.mountOf("/srv/media/Local")?.source, "/dev/sda1");
    assert.equal(
      table.mountOf("/srv/mediathek")?.source,
      "/dev/vda",
      "a prefix of a name is not a parent",
    );
    assert.equal(table.mountOf("/home/user/Music")?.mountPoint, "/");
  });

  it("takes the later of two mounts on the same point (the one on top)", () => {
    assert.equal(table.mountOf("/mnt/share/x")?.fsType, "tmpfs");
  });

  it("knows which filesystems deliver no inotify events for remote changes", () => {
    for (const fs of ["nfs", "nfs4", "cifs", "smb3", "9p", "fuse.rclone", "fuse.sshfs", "ceph"]) {
      assert.equal(MountTable.isNetworkFs(fs), true, fs);
    }
    for (const fs of [
      "ext4",
      "btrfs",
      "xfs",
      "vfat",
      "exfat",
      "fuseblk",
      "fuse.mergerfs",
      "tmpfs",
    ]) {
      assert.equal(MountTable.isNetworkFs(fs), false, fs);
    }
  });

  it("reads an empty table when there is no mountinfo, so every root is treated as local", async () => {
    const missing = await MountTable.read("/nonexistent/mountinfo");
    assert.equal(missing.mountOf("/srv/media"), undefined);
  });
});
