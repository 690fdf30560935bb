import assert from "node:assert/strict";
import { findSubtitles } from "../../../media/metadata/find-subtitles.js";

const names = (refs: ReturnType<typeof findSubtitles>): string[] =>
  refs.map((r) => `${r.relPath}|${r.language ?? "-"}|${r.mime}`);

describe("findSubtitles", () => {
  it("matches the same base name with language and flag suffixes, in a stable order", () => {
    const siblings = [
      "Film.mp4",
      "Film.srt",
      "Film.en.srt",
      "Film.eng.forced.srt",
      "Film.pt-BR.vtt",
      "Film.ass",
      "Film.ssa",
    ];
    assert.deepEqual(names(findSubtitles("Videos/Film.mp4", siblings)), [
      "Videos/Film.srt|-|text/srt",
      "Videos/Film.ass|-|text/x-ass",
      "Videos/Film.ssa|-|text/x-ssa",
      "Videos/Film.en.srt|en|text/srt",
      "Videos/Film.eng.forced.srt|eng|text/srt",
      "Videos/Film.pt-BR.vtt|pt-BR|text/vtt",
    ]);
  });

  it("ignores files that only share a prefix or carry a suffix that is not a language", () => {
    const siblings = [
      "Film2.srt",
      "Filmography.srt",
      "Film.Director's Cut.srt",
      "Film.720p.srt",
      "Film.srt.bak",
    ];
    assert.deepEqual(findSubtitles("Film.mkv", siblings), []);
  });

  it("gives a subtitle to the video with the longest matching name", () => {
    const siblings = ["Film.mkv", "Film.en.mkv", "Film.en.srt", "Film.de.srt"];
    assert.deepEqual(names(findSubtitles("Film.mkv", siblings)), ["Film.de.srt|de|text/srt"]);
    assert.deepEqual(names(findSubtitles("Film.en.mkv", siblings)), ["Film.en.srt|-|text/srt"]);
  });

  it("reads flags without a language, and 'hi' as Hindi only in first place", () => {
    const siblings = ["Film.forced.srt", "Film.hi.srt", "Film.en.hi.srt", "Film.English.SRT"];
    assert.deepEqual(names(findSubtitles("Film.mp4", siblings)), [
      "Film.forced.srt|-|text/srt",
      "Film.English.SRT|English|text/srt",
      "Film.en.hi.srt|en|text/srt",
      "Film.hi.srt|hi|text/srt",
    ]);
  });

  it("matches NFD sidecars to an NFC video name (copied from macOS)", () => {
    const video = "Café.mp4".normalize("NFC");
    const sidecar = "Café.fr.srt".normalize("NFD");
    const found = findSubtitles(`Films/${video}`, [sidecar]);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.relPath, `Films/${sidecar}`);
    assert.equal(found[0]?.language, "fr");
  });

  it("works when the sibling list includes the video itself or is reused", () => {
    const siblings = ["A.mp4", "A.srt", "B.mp4", "B.en.vtt"];
    assert.equal(findSubtitles("A.mp4", siblings).length, 1);
    assert.equal(findSubtitles("B.mp4", siblings)[0]?.relPath, "B.en.vtt");
    assert.deepEqual(findSubtitles("C.mp4", siblings), []);
  });
});
