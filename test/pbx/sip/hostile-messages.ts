/**
 * Malformed SIP for the hostile-input suite, grouped by what is wrong. Random bytes and bit
 * flips come from a seeded generator so a failure can be replayed.
 */

export interface HostileGroup {
  name: string;
  messages: Buffer[];
  /** Only meaningful on a stream (TCP); skipped over UDP. */
  tcpOnly?: boolean;
}

/** mulberry32: small, seeded, good enough to pick bytes. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b = (text: string) => Buffer.from(text, "latin1");

/** A sound REGISTER; `patch` rewrites it before sending. */
export function validRegister(extra: string[] = [], drop: string[] = [], body = ""): string {
  const lines = [
    "REGISTER sip:127.0.0.1 SIP/2.0",
    "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-hostile;rport",
    "Max-Forwards: 70",
    "From: <sip:1001@127.0.0.1>;tag=h1",
    "To: <sip:1001@127.0.0.1>",
    "Call-ID: hostile-1@127.0.0.1",
    "CSeq: 1 REGISTER",
    "Contact: <sip:1001@127.0.0.1:5999>",
    "Expires: 60",
    `Content-Length: ${body.length}`,
  ].filter((line) => !drop.some((name) => line.startsWith(`${name}:`)));
  return [...lines, ...extra, "", body].join("\r\n");
}

const withAuth = (value: string) => b(validRegister([`Authorization: ${value}`]));

export function hostileGroups(): HostileGroup[] {
  const rnd = random(7);
  const bytes = (n: number) =>
    Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const valid = b(validRegister());
  const flipped = Array.from({ length: 15 }, () => {
    const copy = Buffer.from(valid);
    for (let i = 0; i < 1 + Math.floor(rnd() * 8); i++) {
      const at = Math.floor(rnd() * copy.length);
      copy[at] = copy[at]! ^ (1 << Math.floor(rnd() * 8));
    }
    return copy;
  });

  return [
    {
      name: "random bytes and NULs",
      messages: [
        bytes(1),
        bytes(17),
        bytes(300),
        bytes(1400),
        bytes(9000),
        Buffer.alloc(512),
        b("\0\0\0\0\r\n\r\n"),
        b(validRegister().replace("REGISTER sip", "REGIS\0TER sip")),
        b(validRegister().replace("Call-ID: hostile", "Call-ID: \0hostile")),
        Buffer.concat([valid, Buffer.alloc(64)]),
      ],
    },
    {
      name: "broken start lines",
      messages: [
        b("REGISTER\r\n\r\n"),
        b("SIP/2.0\r\n\r\n"),
        b("INVITE  SIP/2.0\r\nVia: x\r\n\r\n"),
        b(validRegister().replace("REGISTER sip:127.0.0.1 SIP/2.0", "SIP/2.0 99999999 Huge")),
        b(
          validRegister().replace(
            "REGISTER sip:127.0.0.1 SIP/2.0",
            "R\u00c9GISTER sip:127.0.0.1 SIP/2.0",
          ),
        ),
        b(validRegister().replace("SIP/2.0\r\n", "SIP/9.9\r\n")),
        b("\r\n\r\n\r\n\r\n"),
      ],
    },
    {
      name: "missing and duplicate mandatory headers",
      messages: [
        b(validRegister([], ["Via"])),
        b(validRegister([], ["From"])),
        b(validRegister([], ["To"])),
        b(validRegister([], ["Call-ID"])),
        b(validRegister([], ["CSeq"])),
        b(validRegister(["From: <sip:evil@127.0.0.1>;tag=2"])),
        b(validRegister(["To: <sip:1002@127.0.0.1>"])),
        b(validRegister(["Call-ID: second"])),
        b(validRegister(["CSeq: 2 INVITE"])),
        b(validRegister(["Via: garbage"])),
        b(validRegister().replace(";rport", ";__proto__")),
        b(validRegister().replace(";rport", ";constructor;hasOwnProperty=1")),
        b(validRegister(["__proto__: x", "constructor: y"])),
        b(validRegister().replace("From: <sip:1001@127.0.0.1>;tag=h1", "From: ;__proto__")),
      ],
    },
    {
      name: "bad CSeq and Content-Length",
      messages: [
        b(validRegister().replace("CSeq: 1 REGISTER", "CSeq: -1 REGISTER")),
        b(validRegister().replace("CSeq: 1 REGISTER", "CSeq: 99999999999999999999999 REGISTER")),
        b(validRegister().replace("CSeq: 1 REGISTER", "CSeq: abc REGISTER")),
        b(validRegister().replace("CSeq: 1 REGISTER", "CSeq: 1")),
        b(validRegister().replace("Content-Length: 0", "Content-Length: -5")),
        b(validRegister().replace("Content-Length: 0", "Content-Length: 999999999")),
        b(validRegister().replace("Content-Length: 0", "Content-Length: abc")),
        b(validRegister().replace("Content-Length: 0", "Content-Length: 10")),
        b(
          validRegister([], [], "unexpected body").replace(
            "Content-Length: 15",
            "Content-Length: 0",
          ),
        ),
        b(validRegister(["Content-Length: 7"])),
      ],
    },
    {
      name: "folded and odd header lines",
      messages: [
        b(validRegister().replace("Via: SIP/2.0/UDP", "Via: SIP/2.0/UDP\r\n  ")),
        b(validRegister().replace("To: <sip:1001@127.0.0.1>", "To:\r\n\t<sip:1001@127.0.0.1>")),
        b(validRegister(["a header line without a colon"])),
        b(validRegister([": no name"])),
        b(validRegister().replace(/\r\n/g, "\n")),
        b(validRegister(["Expires: " + "9".repeat(400)])),
      ],
    },
    {
      name: "huge messages",
      messages: [
        b(
          validRegister(
            Array.from(
              { length: 1000 },
              (_, i) => `Via: SIP/2.0/UDP 10.0.${i >> 8}.${i & 255};branch=z9hG4bK${i}`,
            ),
          ),
        ),
        b(validRegister([`X-Padding: ${"a".repeat(60 * 1024)}`])),
        b(validRegister().replace("sip:127.0.0.1 SIP", `sip:${"u".repeat(10_000)}@127.0.0.1 SIP`)),
        b(
          validRegister([
            `Contact: ${Array.from({ length: 500 }, (_, i) => `<sip:c${i}@127.0.0.1>`).join(",")}`,
          ]),
        ),
      ],
    },
    {
      name: "bad digest credentials",
      messages: [
        withAuth("Digest"),
        withAuth("Digest username="),
        withAuth('Digest username="1001", realm="hearth.test", nonce="unterminated'),
        withAuth(
          `Digest username="1001", realm="hearth.test", nonce="${"n".repeat(5000)}", uri="sip:127.0.0.1", response="x"`,
        ),
        withAuth("Basic MTAwMTpwYXNzd29yZA=="),
        withAuth(
          'Digest username="1001", realm="hearth.test", nonce="mx000000.AAAAAAAAAAAAAAAAAAAAAAAAAAA", uri="sip:127.0.0.1", response="00000000000000000000000000000000", qop=auth, nc=00000001, cnonce="c"',
        ),
        withAuth(
          'Digest username="1001", realm="hearth.test", nonce="a.b", uri="sip:127.0.0.1", response="x", qop=auth-int, nc=1, cnonce="c"',
        ),
        withAuth(
          'Digest username="1001", realm="hearth.test", nonce="a.b", uri="sip:127.0.0.1", response="x", algorithm=SHA-256, qop=auth, nc=1, cnonce="c"',
        ),
        withAuth(
          'Digest username="1001", realm="hearth.test", nonce="a.b", uri="sip:127.0.0.1", response="x", qop=auth',
        ),
        withAuth('Digest username="\\"1001", realm=,,,,, nonce'),
      ],
    },
    { name: "bit-flipped valid REGISTERs", messages: flipped },
    {
      name: "stream abuse",
      tcpOnly: true,
      messages: [
        b("x\r\n\r\n".repeat(10_000)),
        Buffer.concat([
          b(validRegister().replace("Content-Length: 0", "Content-Length: abc")),
          Buffer.alloc(80_000, 0x41),
        ]),
        b(
          `${validRegister().replace("Content-Length: 0", "Content-Length: 60000")}${"b".repeat(100)}`,
        ),
        b("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1"),
      ],
    },
  ];
}
