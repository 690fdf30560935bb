import assert from "node:assert/strict";
import { negotiateDlna } from "../../../media/streaming/dlna-headers.js";
import { resourceName } from "../../../media/streaming/resource-name.js";

describe("negotiateDlna", () => {
  const features = "DLNA.ORG_OP=01";
  const mode = (headers: Record<string, string>, kind: "av" | "still", isSamsung = false) => {
    const result = negotiateDlna(headers, kind, features, { isSamsung });
    return "refused" in result ? "406" : result.headers["transferMode.dlna.org"];
  };

  it("sends contentFeatures, the transfer mode and realTimeInfo on every reply", () => {
    assert.deepEqual(negotiateDlna({}, "av", features), {
      headers: {
        "contentFeatures.dlna.org": features,
        "transferMode.dlna.org": "Streaming",
        "realTimeInfo.dlna.org": "DLNA.ORG_TLAG=*",
      },
    });
  });

  it("echoes a mode valid for the class, refuses the others, ignores unknown words", () => {
    const cases: Array<[string | undefined, "av" | "still", string]> = [
      [undefined, "av", "Streaming"],
      [undefined, "still", "Interactive"],
      ["Streaming", "av", "Streaming"],
      [" background ", "av", "Background"],
      ["Background", "still", "Background"],
      ["INTERACTIVE", "still", "Interactive"],
      ["Interactive", "av", "406"],
      ["Streaming", "still", "406"],
      ["Sometimes", "av", "Streaming"],
    ];
    for (const [asked, kind, expected] of cases) {
      const headers: Record<string, string> =
        asked === undefined ? {} : { "transfermode.dlna.org": asked };
      assert.equal(mode(headers, kind), expected, `${asked} for ${kind}`);
    }
  });

  it("lets Samsung ask Interactive for a video and answers Streaming (MiniDLNA's A950 note)", () => {
    assert.equal(mode({ "transfermode.dlna.org": "Interactive" }, "av", true), "Streaming");
    assert.equal(mode({ "transfermode.dlna.org": "Streaming" }, "still", true), "406");
  });

  it("refuses time seek and play speeds other than 1", () => {
    assert.equal(mode({ "timeseekrange.dlna.org": "npt=0-" }, "av"), "406");
    assert.equal(mode({ "playspeed.dlna.org": "speed=2" }, "av"), "406");
    assert.equal(mode({ "playspeed.dlna.org": "speed = 1" }, "av"), "Streaming");
  });
});

describe("resourceName", () => {
  it("takes item and reference ids with or without a harmless extension", () => {
    assert.equal(resourceName.item("i1a.mp4"), "i1a");
    assert.equal(resourceName.item("i1a"), "i1a");
    assert.equal(resourceName.item("1$4$i1a.flac"), "1$4$i1a");
    for (const name of [
      "0.mp4",
      "1$4.mp4",
      "i1a.mp4/x",
      "i1a.",
      "i1a.m p4",
      "i1a.mp4.x",
      "../i1a",
      "i1a\0.mp4",
      "",
      `i${"1".repeat(70)}`,
    ]) {
      assert.equal(resourceName.item(name), undefined, JSON.stringify(name));
    }
  });

  it("takes subtitle indexes 0-999 with or without a format", () => {
    assert.equal(resourceName.subtitle("0.srt"), 0);
    assert.equal(resourceName.subtitle("12"), 12);
    for (const name of ["01.srt", "-1.srt", "1000.srt", "1.s/rt", "x.srt", ""]) {
      assert.equal(resourceName.subtitle(name), undefined, name);
    }
  });

  it("takes art of any object id, named .jpg", () => {
    assert.equal(resourceName.art("i1a.jpg"), "i1a");
    assert.equal(resourceName.art("1$7$ABCDEFGHJKMN.JPG"), "1$7$ABCDEFGHJKMN");
    assert.equal(resourceName.art("0.jpg"), "0");
    for (const name of ["i1a.png", "i1a", "../x.jpg", ".jpg", "i1a.x.jpg"]) {
      assert.equal(resourceName.art(name), undefined, name);
    }
  });
});
