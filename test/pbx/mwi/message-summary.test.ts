import assert from "node:assert/strict";
import { messageSummaryBody } from "../../../pbx/mwi/message-summary.js";

describe("messageSummaryBody", () => {
  it("writes the RFC 3842 body with the exact capitalisation Cisco 79xx match", () => {
    assert.equal(
      messageSummaryBody("1001", "hearth.test", { new: 2, old: 1 }),
      "Messages-Waiting: yes\r\nMessage-Account: sip:1001@hearth.test\r\nVoice-Message: 2/1 (0/0)\r\n",
    );
    assert.equal(
      messageSummaryBody("1002", "hearth.test", { new: 0, old: 4 }),
      "Messages-Waiting: no\r\nMessage-Account: sip:1002@hearth.test\r\nVoice-Message: 0/4 (0/0)\r\n",
    );
  });
});
