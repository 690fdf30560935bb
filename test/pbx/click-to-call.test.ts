/**
 * Click-to-call through Phones against test/fixtures/ami/ami-replayer.ts — a TRANSCRIPT
 * REPLAYER, NOT ASTERISK (none can be installed here): Originate Async and its OriginateResponse
 * are replayed from wire text transcribed from Asterisk's source.
 */
import assert from "node:assert/strict";
import pino from "pino";
import { pbxConfigSchema } from "../../pbx/config-schema.js";
import { phonesPage } from "../../pbx/phones-page.js";
import { Phones } from "../../pbx/phones.js";
import { HearthError } from "../../services/errors.js";
import { Catalog } from "../../storage/catalog/catalog.js";
import { AmiReplayer } from "../fixtures/ami/ami-replayer.js";
import { waitFor } from "../fixtures/ami/wait-for.js";
import { freeSipPort } from "../fixtures/sip/sipp.js";
import { TempCatalogDir } from "../storage/catalog/temp-catalog-dir.js";

describe("Phones click-to-call (AMI transcript replayer, not Asterisk)", function () {
  this.timeout(30_000);
  const temp = new TempCatalogDir();
  let replayer: AmiReplayer;
  let catalog: Catalog;
  let phones: Phones | undefined;

  beforeEach(async () => {
    replayer = await AmiReplayer.start();
    await temp.create();
    catalog = await Catalog.open({ dir: temp.path() });
  });
  afterEach(async () => {
    await phones?.stop();
    phones = undefined;
    await catalog.close();
    await temp.remove();
    await replayer.close();
  });

  async function start(withAmi: boolean): Promise<Phones> {
    const config = pbxConfigSchema.parse({
      sip: { port: await freeSipPort(), listen: "127.0.0.1", domain: "hearth.test" },
      extensions: { "1001": { name: "Kitchen", password: { env: "HEARTH_SIP_1001" } } },
      ...(withAmi
        ? { ami: { port: replayer.port, user: "hearth", secret: { env: "HEARTH_AMI" } } }
        : {}),
    });
    phones = new Phones({
      config,
      catalog: catalog.namespace("pbx"),
      log: pino({ level: "silent" }),
      env: { HEARTH_SIP_1001: "kitchen-secret", HEARTH_AMI: "s3cret" },
    });
    await phones.start();
    return phones;
  }

  it("rings the extension, then dials the number, with Originate Async", async () => {
    const p = await start(true);
    await waitFor("AMI link up", () => p.status().asterisk?.link.state === "ready");
    const result = await p.call("1001", "15551234567");
    assert.equal(result.isSuccess, true);
    assert.equal(result.reason, 4);
    const wire = replayer.actions("Originate")[0]?.wire ?? "";
    assert.match(
      wire,
      /\r\nChannel: PJSIP\/1001\r\nContext: from-internal\r\nExten: 15551234567\r\n/,
    );
    assert.match(wire, /\r\nAsync: true\r\n/);
  });

  it("offers the call form on the Phones page, with the extensions to ring", async () => {
    const p = await start(true);
    const page = phonesPage(p.status());
    assert.match(page, /<form id="click-to-call"/);
    assert.match(page, /<option value="1001">1001 Kitchen<\/option>/);
    await p.stop();
    phones = await start(false);
    assert.doesNotMatch(phonesPage(phones.status()), /click-to-call/);
  });

  it("refuses an extension it does not have and a number that is not digits", async () => {
    const p = await start(true);
    await waitFor("AMI link up", () => p.status().asterisk?.link.state === "ready");
    await assert.rejects(p.call("2002", "1001"), (err: unknown) => {
      assert.ok(err instanceof HearthError && err.code === "E_USAGE");
      assert.match(err.message, /no extension 2002/);
      return true;
    });
    await assert.rejects(p.call("1001", "1002\r\nAction: Logoff"), RangeError);
    assert.equal(replayer.actions("Originate").length, 0);
  });

  it("says click-to-call needs Asterisk when pbx.ami is not set", async () => {
    const p = await start(false);
    await assert.rejects(p.call("1001", "15551234567"), (err: unknown) => {
      assert.ok(err instanceof HearthError && err.code === "E_USAGE");
      assert.match(err.fix ?? "", /pbx\.ami/);
      return true;
    });
  });
});
