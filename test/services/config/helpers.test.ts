import assert from "node:assert/strict";
import { didYouMean } from "../../../services/config/did-you-mean.js";
import { formatPath } from "../../../services/config/format-path.js";
import { hearthConfigJsonSchema } from "../../../services/config/index.js";

describe("config helpers", () => {
  it("suggests the closest key for a typo, and nothing for a stranger", () => {
    assert.equal(didYouMean("buad", ["baud", "parity"]), "baud");
    assert.equal(didYouMean("Roots", ["roots", "exclude"]), "roots");
    assert.equal(didYouMean("identityfile", ["identityFile", "url"]), "identityFile");
    assert.equal(didYouMean("colour", ["baud", "parity"]), undefined);
  });

  it("formats key paths the way users write them", () => {
    assert.equal(formatPath(["console", "ports", "board1", "baud"]), "console.ports.board1.baud");
    assert.equal(formatPath(["media", "roots", 0, "path"]), "media.roots[0].path");
    assert.equal(formatPath(["log", "services", "my svc"]), 'log.services["my svc"]');
  });

  it("exports the schema as JSON Schema, secrets marked", () => {
    const schema = hearthConfigJsonSchema() as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    assert.deepEqual(Object.keys(schema.properties), [
      "dataDir",
      "http",
      "log",
      "media",
      "pbx",
      "backup",
      "console",
    ]);
    const ami = schema.properties.pbx?.properties?.ami as { properties: Record<string, object> };
    assert.equal((ami.properties.secret as { secretRef?: boolean }).secretRef, true);
  });
});
