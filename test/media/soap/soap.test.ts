import assert from "node:assert/strict";
import pino from "pino";
import {
  MAX_SOAP_BYTES,
  parseSoapRequest,
  requestContext,
  runSoapControl,
  soapFault,
  soapResponse,
  UpnpError,
  upnpErrors,
  xmlEscape,
  type SoapService,
} from "../../../media/soap/index.js";
import type { Socket } from "node:net";

const CDS = "urn:schemas-upnp-org:service:ContentDirectory:1";
const envelope = (inner: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${inner}</s:Body></s:Envelope>`;
const browse = (args: string) => envelope(`<u:Browse xmlns:u="${CDS}">${args}</u:Browse>`);

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof UpnpError ? err.code : -1;
  }
  return undefined;
}

describe("SOAP requests", () => {
  it("reads the action and its arguments, entities and character references decoded", () => {
    const call = parseSoapRequest(
      browse(
        "<ObjectID>1$4</ObjectID><Filter></Filter><SortCriteria/><S>dc:title contains &quot;a&amp;b&quot; &#233;&#x41;</S>",
      ),
      `"${CDS}#Browse"`,
    );
    assert.equal(call.action, "Browse");
    assert.equal(call.serviceType, CDS);
    assert.equal(call.args.string("ObjectID"), "1$4");
    assert.equal(call.args.string("Filter"), "");
    assert.equal(call.args.string("SortCriteria"), "");
    assert.equal(call.args.string("S"), 'dc:title contains "a&b" éA');
  });

  it("decodes the same whichever parser a body needs (XML entities only, or references too)", () => {
    const arg = (inner: string) =>
      parseSoapRequest(browse(`<S>${inner}</S>`), `"${CDS}#Browse"`).args.string("S");
    assert.equal(arg("a &lt;&amp;&gt; &quot;b&apos;"), `a <&> "b'`);
    assert.equal(arg("&amp;#233; stays text"), "&#233; stays text");
    assert.equal(arg("&amp;#233; and &#233;"), "&#233; and é");
    assert.equal(arg("&copy; 2024"), "© 2024"); // not XML, but fast-xml-parser decodes it
  });

  it("reads indented requests, as Net::UPnP and many TVs send them", () => {
    const call = parseSoapRequest(
      `<?xml version="1.0"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">\n  <s:Body>\n    <u:Browse xmlns:u="${CDS}">\n      <ObjectID>0</ObjectID>\n    </u:Browse>\n  </s:Body>\n</s:Envelope>\n`,
      undefined,
    );
    assert.equal(call.action, "Browse");
    assert.equal(call.args.string("ObjectID"), "0");
    assert.equal(call.args.has("#text"), false);
  });

  it("accepts a SOAPACTION header without quotes, and none at all", () => {
    assert.equal(parseSoapRequest(browse(""), `${CDS}#Browse`).action, "Browse");
    assert.equal(parseSoapRequest(browse(""), undefined).serviceType, undefined);
  });

  it("checks ui4 and i4 arguments and says 402 otherwise", () => {
    const args = parseSoapRequest(
      browse("<A>42</A><B>-1</B><C>4294967296</C><D>1e3</D><E> 7 </E><F>2147483648</F><G></G>"),
      undefined,
    ).args;
    assert.equal(args.uint("A"), 42);
    assert.equal(args.uint("E"), 7);
    assert.equal(args.int("B"), -1);
    assert.equal(args.uint("G", 0), 0);
    assert.equal(args.uint("Missing", 5), 5);
    for (const bad of [() => args.uint("B"), () => args.uint("C"), () => args.uint("D")])
      assert.equal(codeOf(bad), upnpErrors.invalidArgs);
    assert.equal(
      codeOf(() => args.int("F")),
      upnpErrors.invalidArgs,
    );
    assert.equal(
      codeOf(() => args.string("Missing")),
      upnpErrors.invalidArgs,
    );
  });

  it("refuses DOCTYPEs, oversized, empty and malformed bodies with 402, and no action with 401", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${browse("<ObjectID>&lol2;</ObjectID>")}`;
    const huge = browse(`<ObjectID>${"x".repeat(MAX_SOAP_BYTES)}</ObjectID>`);
    const cases: Array<[unknown, number]> = [
      [bomb, upnpErrors.invalidArgs],
      [huge, upnpErrors.invalidArgs],
      ["", upnpErrors.invalidArgs],
      [undefined, upnpErrors.invalidArgs],
      ["<s:Envelope><s:Body><u:Browse>", upnpErrors.invalidArgs],
      ["not xml at all", upnpErrors.invalidArgs],
      ["<a>b</a>", upnpErrors.invalidArgs],
      [envelope(""), upnpErrors.invalidAction],
      [envelope("<u:A/><u:B/>"), upnpErrors.invalidAction],
    ];
    for (const [body, code] of cases)
      assert.equal(
        codeOf(() => parseSoapRequest(body, undefined)),
        code,
        String(body).slice(0, 80),
      );
  });

  it("refuses a SOAPACTION header that names another action than the body", () => {
    assert.equal(
      codeOf(() => parseSoapRequest(browse(""), `"${CDS}#Search"`)),
      upnpErrors.invalidAction,
    );
  });

  it("never throws anything but UpnpError on garbage", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [
      "<",
      ">",
      "/",
      "s:Body",
      "s:Envelope",
      "&",
      ";",
      "#",
      "x",
      '"',
      "&#",
      "]]>",
      "<![CDATA[",
      "\u0000",
      "é",
    ];
    for (let i = 0; i < 2000; i++) {
      let text = "";
      const length = Math.floor(random() * 40);
      for (let j = 0; j < length; j++) text += pieces[Math.floor(random() * pieces.length)];
      const code = codeOf(() => parseSoapRequest(text, undefined));
      assert.ok(
        code === undefined || code > 0,
        `threw a non-UPnP error on ${JSON.stringify(text)}`,
      );
    }
  });
});

describe("SOAP replies", () => {
  it("writes a response with the out-arguments escaped, in order", () => {
    assert.equal(
      soapResponse(CDS, "GetSearchCapabilities", [
        ["SearchCaps", "dc:title,<&>"],
        ["N", 3],
      ]),
      '<?xml version="1.0" encoding="utf-8"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>' +
        `<u:GetSearchCapabilitiesResponse xmlns:u="${CDS}"><SearchCaps>dc:title,&lt;&amp;&gt;</SearchCaps><N>3</N></u:GetSearchCapabilitiesResponse>` +
        "</s:Body></s:Envelope>\r\n",
    );
  });

  it("writes the UDA fault with the standard description", () => {
    const fault = soapFault(new UpnpError(701, "no object 'x'"));
    assert.match(fault, /<faultcode>s:Client<\/faultcode><faultstring>UPnPError<\/faultstring>/);
    assert.match(
      fault,
      /<errorCode>701<\/errorCode><errorDescription>No such object<\/errorDescription>/,
    );
    assert.doesNotMatch(fault, /no object 'x'/);
  });

  it("escapes the five special characters and drops what XML cannot carry", () => {
    assert.equal(xmlEscape(`a&b<c>d"e'f`), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    assert.equal(xmlEscape("tab\tnl\nnul\u0000bell\u0007"), "tab\tnl\nnulbell");
    assert.equal(xmlEscape("lone \uD800 high, pair \uD83D\uDE00"), "lone  high, pair \uD83D\uDE00");
    assert.equal(xmlEscape(42), "42");
  });
});

describe("runSoapControl", () => {
  const log = pino({ level: "silent" });
  const request = requestContext({
    socket: {
      localAddress: "::ffff:10.0.0.5",
      localPort: 8200,
      remoteAddress: "::ffff:10.0.0.9",
    } as Socket,
    headers: { "user-agent": "BubbleUPnP" },
  });
  const service: SoapService = {
    serviceType: CDS,
    actions: {
      GetSystemUpdateID: () => [["Id", 7]],
      Browse: (args) => [["Echo", args.string("ObjectID")]],
      Boom: () => {
        throw new Error("bug");
      },
    },
  };

  it("builds URLs from the address the request came in on", () => {
    assert.equal(request.baseUrl, "http://10.0.0.5:8200/media");
    assert.equal(request.remoteAddress, "10.0.0.9");
  });

  it("answers an action, and faults unknown actions, bad arguments and handler bugs", async () => {
    const ok = await runSoapControl(
      service,
      browse("<ObjectID>0</ObjectID>"),
      undefined,
      request,
      log,
    );
    assert.equal(ok.status, 200);
    assert.match(ok.body, /<Echo>0<\/Echo>/);
    const unknown = await runSoapControl(service, envelope("<u:Nope/>"), undefined, request, log);
    assert.deepEqual([unknown.status, unknown.errorCode], [500, 401]);
    const inherited = await runSoapControl(
      service,
      envelope("<u:toString/>"),
      undefined,
      request,
      log,
    );
    assert.deepEqual([inherited.status, inherited.errorCode], [500, 401]);
    const missing = await runSoapControl(service, browse(""), undefined, request, log);
    assert.deepEqual([missing.status, missing.errorCode], [500, 402]);
    const bug = await runSoapControl(service, envelope("<u:Boom/>"), undefined, request, log);
    assert.deepEqual([bug.status, bug.errorCode], [500, 501]);
  });
});
