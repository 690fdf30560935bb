import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  nameFromLink,
  scanSerialDevices,
} from "../../../../services/console/devices/serial-devices.js";

describe("scanSerialDevices", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "hearth-serial-"));
    for (const tty of ["ttyUSB0", "ttyUSB1", "ttyUSB2"]) writeFileSync(join(root, tty), "");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const link = (kind: string, name: string, tty: string) => {
    mkdirSync(join(root, kind), { recursive: true });
    symlinkSync(join(root, tty), join(root, kind, name));
  };

  it("finds nothing, without failing, when no adapter is plugged in", async () => {
    assert.deepEqual(await scanSerialDevices(join(root, "serial")), { devices: [], warnings: [] });
  });

  it("names adapters by their by-id link and falls back to by-path with a warning", async () => {
    link("by-id", "usb-FTDI_FT232R_USB_UART_A12345-if00-port0", "ttyUSB0");
    link("by-id", "usb-1a86_USB_Serial-if00-port0", "ttyUSB1");
    link("by-path", "platform-xhci-hcd.0-usb-0:1.1:1.0-port0", "ttyUSB0");
    link("by-path", "platform-xhci-hcd.0-usb-0:1.2:1.0-port0", "ttyUSB1");
    link("by-path", "platform-xhci-hcd.0-usb-0:1.3:1.0-port0", "ttyUSB2");
    const scan = await scanSerialDevices(root);
    assert.deepEqual(
      scan.devices.map((d) => [d.name, d.device.slice(root.length + 1)]),
      [
        ["1a86-usb-serial", "ttyUSB1"],
        ["ftdi-ft232r-usb-uart-a12345", "ttyUSB0"],
        ["usb-platform-xhci-hcd-0-usb-0-1-3-1-0-port0", "ttyUSB2"],
      ],
    );
    assert.equal(scan.warnings.length, 1);
    assert.match(scan.warnings[0]!, /ttyUSB2 .* no \/dev\/serial\/by-id link of its own/);
  });

  it("skips a link whose adapter vanished while it was read", async () => {
    link("by-id", "usb-gone-if00-port0", "ttyUSB9");
    assert.deepEqual((await scanSerialDevices(root)).devices, []);
  });
});

describe("nameFromLink", () => {
  it("makes a console name of lowercase letters, digits and dashes", () => {
    assert.equal(
      nameFromLink(
        "/dev/serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_0001-if00-port0",
        "by-id",
      ),
      "silicon-labs-cp2102-usb-to-uart-0001",
    );
  });
});
