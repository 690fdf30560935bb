import assert from "node:assert/strict";
import { clientProfiles } from "../../../media/clients/index.js";
import { xboxAlias } from "../../../media/content-directory/xbox-ids.js";
import type { RequestContext } from "../../../media/soap/index.js";

const context = (profileId: string): RequestContext => ({
  baseUrl: "http://127.0.0.1:8200/media",
  remoteAddress: "127.0.0.1",
  userAgent: "",
  headers: {},
  quirks: clientProfiles.find((p) => p.id === profileId)?.quirks,
});

describe("Xbox 360 container ids", () => {
  it("maps the Xbox's short ids to hearth's, for the Xbox only", () => {
    const xbox = context("xbox");
    assert.equal(xboxAlias("15", xbox, "browse"), "2$15");
    assert.equal(xboxAlias("16", xbox, "browse"), "3$16");
    assert.equal(xboxAlias("7", xbox, "search"), "1$7");
    assert.equal(xboxAlias("4", xbox, "browse"), "4");
    assert.equal(xboxAlias("1$4", xbox, "search"), "1$4");
    assert.equal(xboxAlias("constructor", xbox, "search"), "constructor");
    assert.equal(xboxAlias("15", context("vlc"), "browse"), "15");
    assert.equal(xboxAlias("7", context("generic"), "search"), "7");
  });
});
