import assert from "node:assert/strict";
import {
  gettyLinkPath,
  gettyUnitName,
} from "../../../../services/console/getty/getty-unit-name.js";

describe("gettyUnitName", () => {
  it("names the instance of hearth-getty@.service after the port", () => {
    assert.equal(gettyUnitName("board1"), "hearth-getty@board1.service");
    assert.equal(gettyUnitName("rack-2_top"), "hearth-getty@rack-2_top.service");
  });

  it("puts the pty link where the unit looks for it", () => {
    assert.equal(gettyLinkPath("board1"), "/run/hearth/getty-board1");
    assert.equal(gettyLinkPath("board1", "/tmp/rt"), "/tmp/rt/getty-board1");
  });

  it("refuses a name that is not a console port name", () => {
    assert.throws(() => gettyUnitName("../etc"), { code: "E_USAGE" });
    assert.throws(() => gettyLinkPath("Board 1"), { code: "E_USAGE" });
  });
});
