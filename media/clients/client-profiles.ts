/** What hearth does differently for a kind of control point. Every quirk is off for "generic". */
export interface ClientQuirks {
  /** Sidecar subtitles as extra `res` elements (and Samsung's sec:CaptionInfoEx) in DIDL. */
  captionRes: boolean;
  /** Samsung: CaptionInfo.sec header, X_GetFeatureList's BASICVIEW containers. */
  samsung: boolean;
  /** Xbox 360 / Windows Media Player's short container ids ("4" = all music, "15" = video folders). */
  xboxIds: boolean;
  /** Leave DLNA.ORG_PN out of protocolInfo (firmware that refuses profiles it does not know). */
  skipDlnaProfile: boolean;
  /** Sort by title when the client asks for no order (firmware that shows raw order as "random"). */
  forceTitleSort: boolean;
}

/** A kind of control point, recognised by a header and the text it contains. */
export interface ClientProfile {
  id: string;
  name: string;
  /** Lower-case header name and a case-sensitive substring of its value. */
  match?: { header: "user-agent" | "x-av-client-info"; contains: string };
  quirks: ClientQuirks;
}

const none: ClientQuirks = {
  captionRes: false,
  samsung: false,
  xboxIds: false,
  skipDlnaProfile: false,
  forceTitleSort: false,
};
const ua = (contains: string) => ({ header: "user-agent" as const, contains });
const avInfo = (contains: string) => ({ header: "x-av-client-info" as const, contains });

/**
 * Known control points, first match wins (more specific before more general). The headers they
 * send were collected by MiniDLNA's maintainers (clients.c), which is why the same substrings
 * appear here; what each one gets is hearth's own choice, documented in shared/DESIGN.md.
 */
export const clientProfiles: readonly ClientProfile[] = [
  { id: "xbox", name: "Xbox 360", match: ua("Xbox/"), quirks: { ...none, xboxIds: true } },
  {
    id: "wmp",
    name: "Windows Media Player",
    match: ua("Windows-Media-Player"),
    quirks: none,
  },
  { id: "ps3", name: "PlayStation", match: ua("PLAYSTATION"), quirks: none },
  // AllShare on a PC also says SEC_HHP_ but is Windows software: no Samsung TV extras for it.
  { id: "allshare-pc", name: "Samsung AllShare (PC)", match: ua("SEC_HHP_[PC]"), quirks: none },
  {
    id: "samsung-bd-j5500",
    name: "Samsung BD-J5500",
    match: ua("[BD]J5500"),
    quirks: { ...none, samsung: true, captionRes: true, skipDlnaProfile: true },
  },
  {
    id: "samsung-bd",
    name: "Samsung Blu-ray player",
    match: ua("SEC_HHP_BD"),
    quirks: { ...none, samsung: true },
  },
  {
    id: "samsung-tv",
    name: "Samsung TV",
    match: ua("SEC_HHP_"),
    quirks: { ...none, samsung: true, captionRes: true },
  },
  {
    id: "samsung-old",
    name: "Samsung TV (2008)",
    match: ua("SamsungWiselinkPro"),
    quirks: { ...none, samsung: true },
  },
  {
    id: "panasonic",
    name: "Panasonic TV",
    match: ua("Panasonic"),
    quirks: { ...none, forceTitleSort: true },
  },
  { id: "lg", name: "LG TV", match: ua("LGE_DLNA_SDK"), quirks: { ...none, captionRes: true } },
  { id: "sony-bravia", name: "Sony Bravia", match: avInfo("BRAVIA"), quirks: none },
  { id: "sony-bdp", name: "Sony Blu-ray player", match: avInfo('mv="2.0"'), quirks: none },
  { id: "sony", name: "Sony", match: avInfo("Sony Corporation"), quirks: none },
  {
    id: "bubbleupnp",
    name: "BubbleUPnP",
    match: ua("BubbleUPnP"),
    quirks: { ...none, captionRes: true },
  },
  { id: "kodi", name: "Kodi", match: ua("Kodi"), quirks: { ...none, captionRes: true } },
  { id: "vlc", name: "VLC", match: ua("VLC"), quirks: none },
  { id: "gupnp", name: "GUPnP (GNOME)", match: ua("GUPnP"), quirks: none },
  { id: "generic-dlna", name: "DLNA client", match: ua("DLNADOC/1.50"), quirks: none },
  { id: "generic", name: "UPnP client", quirks: none },
];

const byId = new Map(clientProfiles.map((p) => [p.id, p]));

/** The profile with this id, or undefined. */
export function profileById(id: string): ClientProfile | undefined {
  return byId.get(id);
}

/** The profile a request's headers point at; "generic" when nothing matches. */
export function detectProfile(
  headers: Record<string, string | string[] | undefined>,
): ClientProfile {
  for (const profile of clientProfiles) {
    if (profile.match === undefined) continue;
    const value = headers[profile.match.header];
    const text = Array.isArray(value) ? value.join(" ") : value;
    if (text?.includes(profile.match.contains) === true) return profile;
  }
  return byId.get("generic") as ClientProfile;
}
