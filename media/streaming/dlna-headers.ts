import type { IncomingHttpHeaders } from "node:http";

/** DLNA transfer modes (DLNA guidelines 7.4.49): how the client means to consume the bytes. */
export type TransferMode = "Streaming" | "Interactive" | "Background";

/** What a reply carries: audio/video are streamed; pictures, thumbnails and subtitles are not. */
export type TransferClass = "av" | "still";

/** The headers of a reply, or why the request is refused with 406 Not Acceptable. */
export type DlnaNegotiation = { headers: Record<string, string> } | { refused: string };

const MODES: Readonly<Record<string, TransferMode>> = {
  streaming: "Streaming",
  interactive: "Interactive",
  background: "Background",
};

/** Background is valid for everything (DLNA 7.4.49.3); the other mode only for its class. */
const VALID: Readonly<Record<TransferClass, readonly TransferMode[]>> = {
  av: ["Streaming", "Background"],
  still: ["Interactive", "Background"],
};

/**
 * Checks a request's DLNA headers and builds the reply's. `contentFeatures.dlna.org` is sent on
 * every reply, asked for (`getcontentFeatures.dlna.org: 1`, Samsung, Sony) or not (others read
 * it anyway); it must equal the 4th field of the res protocolInfo the client browsed.
 * - `transferMode.dlna.org`: the client's mode echoed when valid for the class, else 406; the
 *   default is Streaming for audio/video, Interactive for the rest. Unknown words are ignored.
 *   Samsung TVs ask for Interactive on videos (MiniDLNA notes the A950); they get Streaming.
 * - `TimeSeekRange.dlna.org`, or a `PlaySpeed.dlna.org` other than 1: 406. Only byte seek is
 *   offered (DLNA.ORG_OP=01), so a client must not ask for these (DLNA 7.4.40.7).
 * - `realTimeInfo.dlna.org: DLNA.ORG_TLAG=*` as MiniDLNA sends it: no limit on how far behind
 *   "live" the client may fall, which is true of a stored file.
 */
export function negotiateDlna(
  requestHeaders: IncomingHttpHeaders,
  transferClass: TransferClass,
  contentFeatures: string,
  options: { isSamsung?: boolean } = {},
): DlnaNegotiation {
  if (requestHeaders["timeseekrange.dlna.org"] !== undefined) {
    return { refused: "time seek is not offered; seek by byte range (DLNA.ORG_OP=01)" };
  }
  const playSpeed = headerText(requestHeaders["playspeed.dlna.org"]);
  if (playSpeed !== undefined && playSpeed.replace(/\s/g, "").toLowerCase() !== "speed=1") {
    return { refused: "only normal play speed is offered" };
  }
  const asked = MODES[headerText(requestHeaders["transfermode.dlna.org"])?.toLowerCase() ?? ""];
  let mode: TransferMode = transferClass === "av" ? "Streaming" : "Interactive";
  if (asked !== undefined && VALID[transferClass].includes(asked)) mode = asked;
  else if (asked !== undefined && !(options.isSamsung === true && transferClass === "av")) {
    return { refused: `transfer mode ${asked} does not fit this content` };
  }
  return {
    headers: {
      "contentFeatures.dlna.org": contentFeatures,
      "transferMode.dlna.org": mode,
      "realTimeInfo.dlna.org": "DLNA.ORG_TLAG=*",
    },
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim();
}
