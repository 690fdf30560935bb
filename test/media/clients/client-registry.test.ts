import assert from "node:assert/strict";
import { Catalog } from "../../../storage/catalog/catalog.js";
import { ClientRegistry, detectProfile } from "../../../media/clients/index.js";
import { TempCatalogDir } from "../../storage/catalog/temp-catalog-dir.js";

// Header values as these control points send them (collected from their traffic and MiniDLNA's notes).
const SAMSUNG_TV = "DLNADOC/1.50 SEC_HHP_[TV] UE65JU7000/1.0 UPnP/1.0";
const SAMSUNG_PC = "DLNADOC/1.50 SEC_HHP_[PC]LPC001/1.0  MS-DeviceCaps/1024";
const LG = "Linux/2.6.35 UPnP/1.0 DLNADOC/1.50 INTEL_NMPR/2.0 LGE_DLNA_SDK/1.6.0";
const BUBBLE = "BubbleUPnP UPnP/1.1 (Android 14)";
const XBOX = "Xbox/2.0.4548.0 UPnP/1.0 Xbox/2.0.4548.0";
const BRAVIA = 'av=5.0; cn="Sony Corporation"; mn="BRAVIA KDL-40EX503"; mv="1.7";';

describe("client profiles", () => {
  it("recognises control points by User-Agent and X-AV-Client-Info", () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ "user-agent": SAMSUNG_TV }, "samsung-tv"],
      [{ "user-agent": SAMSUNG_PC }, "allshare-pc"],
      [{ "user-agent": LG }, "lg"],
      [{ "user-agent": BUBBLE }, "bubbleupnp"],
      [{ "user-agent": XBOX }, "xbox"],
      [{ "user-agent": "Linux UPnP/1.0 Sony-BDV/1.0", "x-av-client-info": BRAVIA }, "sony-bravia"],
      [{ "user-agent": "Kodi/21.1 (X11; Linux x86_64)" }, "kodi"],
      [{ "user-agent": "VLC/3.0.18 LibVLC/3.0.18" }, "vlc"],
      [{ "user-agent": "Some TV DLNADOC/1.50" }, "generic-dlna"],
      [{}, "generic"],
    ];
    for (const [headers, id] of cases)
      assert.equal(detectProfile(headers).id, id, JSON.stringify(headers));
  });

  it("gives Samsung TVs their extras and the PC software none", () => {
    assert.deepEqual(detectProfile({ "user-agent": SAMSUNG_TV }).quirks, {
      captionRes: true,
      samsung: true,
      xboxIds: false,
      skipDlnaProfile: false,
      forceTitleSort: false,
    });
    assert.equal(detectProfile({ "user-agent": SAMSUNG_PC }).quirks.samsung, false);
  });
});

describe("ClientRegistry", () => {
  const temp = new TempCatalogDir();
  let catalog: Catalog;
  beforeEach(async () => {
    await temp.create();
    catalog = await Catalog.open({ dir: temp.path() });
  });
  afterEach(async () => {
    await catalog.close();
    await temp.remove();
  });
  const open = () => ClientRegistry.open(catalog.namespace("media").sub("clients"));

  it("lists each control point once, most recent first, with its request count", async () => {
    const registry = await open();
    registry.observe("10.0.0.20", { "user-agent": LG });
    registry.observe("10.0.0.21", { "user-agent": BUBBLE });
    registry.observe("10.0.0.20", { "user-agent": LG });
    const list = registry.list();
    assert.deepEqual(
      list.map((c) => [c.address, c.profile.id, c.requests]),
      [
        ["10.0.0.20", "lg", 2],
        ["10.0.0.21", "bubbleupnp", 1],
      ],
    );
    assert.ok(list[0]!.lastSeenAt >= list[0]!.firstSeenAt);
  });

  it("forgets the least recently seen client past 256", async () => {
    const registry = await open();
    for (let i = 0; i < 300; i++)
      registry.observe(`10.0.${i >> 8}.${i & 255}`, { "user-agent": "x" });
    const list = registry.list();
    assert.equal(list.length, 256);
    assert.equal(list.at(-1)!.address, "10.0.0.44");
  });

  it("keeps a user's profile override across a restart, and writes nothing for sightings", async () => {
    const registry = await open();
    const before = catalog.stats.batchesWritten;
    registry.observe("10.0.0.30", { "user-agent": "Mystery TV DLNADOC/1.50" });
    assert.equal(catalog.stats.batchesWritten, before);
    await registry.setOverride("10.0.0.30", "samsung-tv");
    assert.equal(registry.list()[0]!.profile.id, "samsung-tv");
    const again = await open();
    assert.equal(again.observe("10.0.0.30", { "user-agent": "Mystery TV" }).id, "samsung-tv");
    await again.setOverride("10.0.0.30", null);
    assert.equal(again.list()[0]!.profile.id, "generic");
    assert.equal((await open()).observe("10.0.0.30", {}).id, "generic");
    await assert.rejects(again.setOverride("10.0.0.30", "nonsense"), RangeError);
  });
});
