import assert from "node:assert/strict";
import {
  isOverdue,
  nextSlot,
  previousSlot,
} from "../../../storage/backup/schedule/job-schedule.js";

describe("backup schedule arithmetic (croner)", () => {
  const at = (s: string) => new Date(s);

  it("finds the slot before and after a moment, in local time", () => {
    const now = at("2026-03-10T12:00:00");
    assert.equal(previousSlot("0 3 * * *", now)?.getTime(), at("2026-03-10T03:00:00").getTime());
    assert.equal(nextSlot("0 3 * * *", now)?.getTime(), at("2026-03-11T03:00:00").getTime());
    assert.equal(nextSlot("@weekly", now)?.getDay(), 0, "@weekly is Sunday midnight");
  });

  it("calls a job overdue only when two slots passed since its last success", () => {
    const lastSuccess = at("2026-03-10T03:05:00");
    assert.equal(
      isOverdue("0 3 * * *", lastSuccess, at("2026-03-11T10:00:00")),
      false,
      "one missed night",
    );
    assert.equal(
      isOverdue("0 3 * * *", lastSuccess, at("2026-03-12T03:01:00")),
      true,
      "two missed nights",
    );
    assert.equal(
      isOverdue("0 * * * *", lastSuccess, at("2026-03-10T05:01:00")),
      true,
      "hourly: two hours",
    );
    assert.equal(isOverdue("0 3 1 1 *", lastSuccess, at("2026-12-31T00:00:00")), false, "yearly");
  });
});
