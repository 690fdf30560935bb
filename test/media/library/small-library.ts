import type { IndexedFile } from "../../../media/library/media-types.js";
import { photo, track, video } from "./library-fixture.js";

const abbeyRoad = { artist: "The Beatles", album: "Abbey Road", year: 1969, genre: "Rock" };

/** A tagged album, a two-disc album in CD folders, an untagged file, a video and two photos. */
export function smallLibrary(): IndexedFile[] {
  return [
    track("The Beatles/Abbey Road/01 Come Together.mp3", {
      ...abbeyRoad,
      title: "Come Together",
      trackNumber: 1,
      hasEmbeddedArt: true,
    }),
    track("The Beatles/Abbey Road/02 Something.mp3", {
      ...abbeyRoad,
      title: "Something",
      trackNumber: 2,
    }),
    track(
      "ABBA/Gold/CD2/01 Dancing Queen.flac",
      {
        title: "Dancing Queen",
        artist: "ABBA",
        album: "Gold",
        trackNumber: 1,
        discNumber: 2,
        genre: "Pop",
      },
      { mime: "audio/x-flac", dlnaProfile: undefined, coverRelPath: "ABBA/Gold/cover.jpg" },
    ),
    track("ABBA/Gold/CD1/02 Knowing Me, Knowing You.flac", {
      title: "Knowing Me, Knowing You",
      artist: "ABBA",
      album: "Gold",
      trackNumber: 2,
      discNumber: 1,
      genre: "Pop",
    }),
    track("loose.mp3", {}),
    video("Films/Holiday.mp4", {
      subtitles: [
        { relPath: "Films/Holiday.en.srt", format: "srt", language: "en", mime: "text/srt" },
        { relPath: "Films/Holiday.srt", format: "srt", mime: "text/srt" },
      ],
    }),
    photo("2024/beach.jpg", "2024-07-14T10:00:00"),
    photo("2024/old.jpg", undefined, { mtimeMs: new Date(2023, 0, 15, 12).getTime() }),
  ];
}

/** The outline (see `outline`) of `smallLibrary()`. */
export const smallLibraryOutline = `
Music [container] 6
  All tracks [container] 5
    → Come Together [musicTrack]
    → Dancing Queen [musicTrack]
    → Knowing Me, Knowing You [musicTrack]
    → loose [musicTrack]
    → Something [musicTrack]
  Artists [container] 3
    ABBA [musicArtist] 1
      Gold [musicAlbum] 2
        → Knowing Me, Knowing You [musicTrack]
        → Dancing Queen [musicTrack]
    The Beatles [musicArtist] 1
      Abbey Road [musicAlbum] 2
        → Come Together [musicTrack]
        → Something [musicTrack]
    Unknown artist [musicArtist] 1
      Unknown album [musicAlbum] 1
        → loose [musicTrack]
  Album artists [container] 3
    ABBA [musicArtist] 1
      Gold [musicAlbum] 2
        → Knowing Me, Knowing You [musicTrack]
        → Dancing Queen [musicTrack]
    The Beatles [musicArtist] 1
      Abbey Road [musicAlbum] 2
        → Come Together [musicTrack]
        → Something [musicTrack]
    Unknown artist [musicArtist] 1
      Unknown album [musicAlbum] 1
        → loose [musicTrack]
  Albums [container] 3
    Abbey Road [musicAlbum] 2
      → Come Together [musicTrack]
      → Something [musicTrack]
    Gold [musicAlbum] 2
      → Knowing Me, Knowing You [musicTrack]
      → Dancing Queen [musicTrack]
    Unknown album [musicAlbum] 1
      → loose [musicTrack]
  Genres [container] 3
    Pop [musicGenre] 1
      ABBA [musicArtist] 2
        → Knowing Me, Knowing You [musicTrack]
        → Dancing Queen [musicTrack]
    Rock [musicGenre] 1
      The Beatles [musicArtist] 2
        → Come Together [musicTrack]
        → Something [musicTrack]
    Unknown genre [musicGenre] 1
      Unknown artist [musicArtist] 1
        → loose [musicTrack]
  Folders [storageFolder] 1
    Music [storageFolder] 3
      ABBA [storageFolder] 1
        Gold [storageFolder] 2
          CD1 [storageFolder] 1
            → Knowing Me, Knowing You [musicTrack]
          CD2 [storageFolder] 1
            → Dancing Queen [musicTrack]
      The Beatles [storageFolder] 1
        Abbey Road [storageFolder] 2
          → Come Together [musicTrack]
          → Something [musicTrack]
      → loose [musicTrack]
Videos [container] 2
  All videos [container] 1
    → Holiday [videoItem]
  Folders [storageFolder] 1
    Music [storageFolder] 1
      Films [storageFolder] 1
        → Holiday [videoItem]
Pictures [container] 3
  All pictures [container] 2
    → beach [photo]
    → old [photo]
  By date [container] 2
    2024 [container] 1
      July 2024 [container] 1
        → beach [photo]
    2023 [container] 1
      January 2023 [container] 1
        → old [photo]
  Folders [storageFolder] 1
    Pictures [storageFolder] 1
      2024 [storageFolder] 2
        → beach [photo]
        → old [photo]
Folders [storageFolder] 2
  Music [storageFolder] 4
    ABBA [storageFolder] 1
      Gold [storageFolder] 2
        CD1 [storageFolder] 1
          Knowing Me, Knowing You [musicTrack]
        CD2 [storageFolder] 1
          Dancing Queen [musicTrack]
    Films [storageFolder] 1
      Holiday [videoItem]
    The Beatles [storageFolder] 1
      Abbey Road [storageFolder] 2
        Come Together [musicTrack]
        Something [musicTrack]
    loose [musicTrack]
  Pictures [storageFolder] 1
    2024 [storageFolder] 2
      beach [photo]
      old [photo]`.trim();
