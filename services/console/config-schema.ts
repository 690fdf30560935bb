import { z } from "zod";
import { absolutePath } from "../config/absolute-path.js";
import { describeValue } from "../config/describe-value.js";

const tcpPort = () => z.number().int().min(1).max(65535);
const command = () => z.string().min(1);
const httpUrl = () =>
  z.url({
    protocol: /^https?$/,
    error: (issue) =>
      `expected an http:// URL like "http://192.168.1.40/cm?cmnd=Power%20Off", got ${describeValue(issue.input)}`,
  });

const portName = z.string().regex(/^[a-z0-9_-]+$/, {
  error: (issue) =>
    `expected a port name of lowercase letters, digits, - and _ like "router", got ${describeValue(issue.input)}`,
});

const powerSchema = z
  .discriminatedUnion("driver", [
    z.strictObject({
      driver: z.literal("gpio").describe("Relay on a GPIO line, switched with gpioset."),
      chip: z.string().min(1).default("gpiochip0").describe("GPIO chip, as gpioset names it."),
      line: z.number().int().min(0).describe("Line offset on the chip driving the relay."),
      activeLow: z.boolean().default(false).describe("The relay energises on a low level."),
      cycleSeconds: z
        .number()
        .int()
        .min(1)
        .default(5)
        .describe("How long a power cycle cuts power."),
    }),
    z.strictObject({
      driver: z.literal("command").describe("Shell commands (USB relay, smart plug, uhubctl)."),
      on: command().describe("Command that powers the board on."),
      off: command().describe("Command that powers the board off."),
      cycle: command()
        .optional()
        .describe("Command that power-cycles the board; default: off, wait, on."),
      cycleSeconds: z.number().int().min(1).default(5).describe("Seconds between off and on."),
    }),
    z.strictObject({
      driver: z
        .literal("http")
        .describe("A smart plug or relay with an HTTP API (Tasmota, Shelly)."),
      on: httpUrl().describe("URL that powers the board on (GET)."),
      off: httpUrl().describe("URL that powers the board off (GET)."),
      cycleSeconds: z.number().int().min(1).default(5).describe("Seconds between off and on."),
    }),
  ])
  .describe("Power control of the board on this port.");

/** One serial port, by its stable /dev/serial/by-id name. */
export const consolePortSchema = z.strictObject({
  path: absolutePath("/dev/serial/by-id/usb-FTDI_FT232R_A12345-if00-port0").describe(
    "Serial device; prefer the stable /dev/serial/by-id/… link.",
  ),
  baud: z.number().int().min(1).default(115200).describe("Line speed in bits per second."),
  dataBits: z.literal([5, 6, 7, 8]).default(8).describe("Data bits per character."),
  parity: z.enum(["none", "even", "odd", "mark", "space"]).default("none").describe("Parity."),
  stopBits: z.literal([1, 1.5, 2]).default(1).describe("Stop bits."),
  flowControl: z.enum(["none", "rtscts", "xonxoff"]).default("none").describe("Flow control."),
  dtr: z
    .enum(["keep", "on", "off"])
    .default("keep")
    .describe("DTR on open; keep avoids resetting Arduino/ESP32 boards."),
  tcp: z
    .strictObject({
      port: tcpPort().describe("TCP port for raw attach (telnet/nc)."),
      listen: z.string().min(1).default("127.0.0.1").describe("Address to listen on."),
    })
    .optional()
    .describe("Attach over TCP; off unless set."),
  log: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Keep a timestamped log of the port."),
      maxBytes: z
        .number()
        .int()
        .min(4096)
        .default(4194304)
        .describe("Rotate the log at this size."),
      generations: z.number().int().min(1).default(5).describe("Rotated logs to keep."),
    })
    .prefault({})
    .describe("Always-on port log."),
  mode: z
    .enum(["console", "getty"])
    .default("console")
    .describe(
      "console: the board at the other end has its console here; getty: offer this box's own login prompt on the port.",
    ),
  breakMs: z
    .number()
    .int()
    .min(10)
    .max(5000)
    .default(300)
    .describe("Length of a serial break (magic SysRq, U-Boot, ROMMON) in milliseconds."),
  power: powerSchema.optional(),
});

/** `console:` — USB serial consoles. */
export const consoleConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Run the serial console service."),
    autoDiscover: z
      .boolean()
      .default(true)
      .describe("Give every /dev/serial/by-id adapter a console, with default settings."),
    ports: z.record(portName, consolePortSchema).default({}).describe("Ports by name."),
  })
  .superRefine((section, ctx) => {
    const owners = new Map<number, string>();
    for (const [name, port] of Object.entries(section.ports)) {
      if (port.tcp === undefined) continue;
      const owner = owners.get(port.tcp.port);
      if (owner === undefined) owners.set(port.tcp.port, name);
      else {
        ctx.addIssue({
          code: "custom",
          path: ["ports", name, "tcp", "port"],
          input: port.tcp.port,
          message: `expected a TCP port of its own, got ${port.tcp.port}, which console.ports.${owner}.tcp.port already uses`,
        });
      }
    }
  });

/** The validated `console:` section, defaults filled in. */
export type ConsoleConfig = z.output<typeof consoleConfigSchema>;
/** One validated serial port. */
export type ConsolePortConfig = z.output<typeof consolePortSchema>;
