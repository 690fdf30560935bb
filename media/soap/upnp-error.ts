/**
 * UPnP action error codes (UPnP Device Architecture 1.0 §3.2.2, ContentDirectory:1 §2.5 and
 * ConnectionManager:1 §2.4.4). A handler throws UpnpError; the control route turns it into a SOAP
 * fault with HTTP 500.
 */
export const upnpErrors = {
  invalidAction: 401,
  invalidArgs: 402,
  actionFailed: 501,
  argumentValueInvalid: 600,
  argumentValueOutOfRange: 601,
  noSuchObject: 701,
  invalidCurrentTagValue: 702,
  invalidConnectionReference: 706,
  unsupportedSearchCriteria: 708,
  unsupportedSortCriteria: 709,
  noSuchContainer: 710,
  cannotProcessRequest: 720,
} as const;

const DESCRIPTIONS: Record<number, string> = {
  401: "Invalid Action",
  402: "Invalid Args",
  501: "Action Failed",
  600: "Argument Value Invalid",
  601: "Argument Value Out of Range",
  701: "No such object",
  702: "Invalid currentTagValue",
  706: "Invalid connection reference",
  708: "Unsupported or invalid search criteria",
  709: "Unsupported or invalid sort criteria",
  710: "No such container",
  720: "Cannot process the request",
};

export class UpnpError extends Error {
  readonly code: number;

  /** `detail` is for the log only; the fault carries the standard description of `code`. */
  constructor(code: number, detail?: string) {
    super(detail ?? DESCRIPTIONS[code] ?? "UPnP error");
    this.name = "UpnpError";
    this.code = code;
  }

  /** The errorDescription sent to the client. */
  get description(): string {
    return DESCRIPTIONS[this.code] ?? "Action Failed";
  }
}
