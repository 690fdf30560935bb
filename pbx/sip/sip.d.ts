/**
 * Typed declarations for the parts of the untyped npm `sip` package (kirm/sip.js 0.0.6) hearth
 * uses. Shapes are what the library's parser produces (read from node_modules/sip/sip.js); values
 * coming from the network are only as trustworthy as that parser, so pbx/sip/sip-message.ts checks
 * them before anything else looks at them.
 */
declare module "sip" {
  /** `uri` params: a key with no value is null. */
  export type SipParams = Record<string, string | null>;

  export interface SipUri {
    schema: string;
    user?: string;
    password?: string;
    host: string;
    /** NaN when the URI carries no port. */
    port: number;
    params: SipParams;
    headers: Record<string, string>;
  }

  /** A name-addr: `"Name" <sip:1001@host>;tag=x`. `uri` stays a string until parseUri. */
  export interface SipAddress {
    name?: string;
    uri: string | SipUri;
    params: SipParams;
  }

  export interface SipVia {
    version?: string;
    protocol: string;
    host: string;
    port?: number;
    params: SipParams;
  }

  export interface SipCSeq {
    seq: number;
    method: string;
  }

  /** A parsed `Authorization`/`WWW-Authenticate` value; values keep their quotes. */
  export interface SipAuthHeader {
    scheme: string;
    [param: string]: string | undefined;
  }

  /**
   * Header values as the parser leaves them: structured for the headers it knows, a string
   * (repeats joined with ",") for the others.
   */
  export interface SipHeaders {
    via?: SipVia[];
    to?: SipAddress;
    from?: SipAddress;
    contact?: SipAddress[] | "*";
    route?: SipAddress[];
    "record-route"?: SipAddress[];
    cseq?: SipCSeq;
    "call-id"?: string;
    "content-length"?: number;
    authorization?: SipAuthHeader[];
    "www-authenticate"?: SipAuthHeader[];
    "proxy-authorization"?: SipAuthHeader[];
    "proxy-authenticate"?: SipAuthHeader[];
    [name: string]: unknown;
  }

  export interface SipMessageData {
    method?: string;
    uri?: string | SipUri;
    version?: string;
    status?: number;
    reason?: string;
    headers: SipHeaders;
    content?: string;
  }

  /** What a transport `open()` returns: one use of a connection (UDP socket, TCP stream). */
  export interface SipConnection {
    send(message: SipMessageData): void;
    release(): void;
    protocol: string;
  }

  export interface SipTarget {
    protocol: string;
    address: string;
    port: number;
    local?: { address: string; port: number };
  }

  export type OpenConnection = (target: SipTarget, onError?: (err: Error) => void) => SipConnection;

  export interface ServerTransaction {
    send(response: SipMessageData): void;
    message(request: SipMessageData, remote?: SipTarget): void;
    shutdown(): void;
  }

  export interface ClientTransaction {
    message(response: SipMessageData, remote?: SipTarget): void;
    shutdown(): void;
  }

  /** RFC 3261 §17 state machines and timers (A–K), keyed by branch, method and Call-ID. */
  export interface TransactionLayer {
    createServerTransaction(request: SipMessageData, connection: SipConnection): ServerTransaction;
    createClientTransaction(
      connection: SipConnection,
      request: SipMessageData,
      onResponse: (response: SipMessageData) => void,
    ): ClientTransaction;
    getServer(request: SipMessageData): ServerTransaction | undefined;
    getClient(response: SipMessageData): ClientTransaction | undefined;
    destroy(): void;
  }

  interface SipLibrary {
    /** Parses one whole message (a datagram); undefined when it is not SIP. Can throw. */
    parse(data: Buffer | string): SipMessageData | undefined;
    stringify(message: SipMessageData): string;
    makeResponse(
      request: SipMessageData,
      status: number,
      reason?: string,
      extension?: { headers?: Record<string, unknown>; content?: string },
    ): SipMessageData;
    /** Frames a TCP byte stream into messages; the returned function takes each chunk. */
    makeStreamParser(
      onMessage: (message: SipMessageData) => void,
      onFlood?: () => void,
      maxBytesHeaders?: number,
      maxContentLength?: number,
    ): (chunk: string) => void;
    makeTransactionLayer(options: Record<string, unknown>, open: OpenConnection): TransactionLayer;
    parseUri(uri: string | SipUri): SipUri | undefined;
    stringifyUri(uri: string | SipUri): string;
    generateBranch(): string;
  }

  const sip: SipLibrary;
  export default sip;
}

declare module "sip/digest.js" {
  interface DigestContext {
    ha1: string;
    method: string;
    nonce: string;
    nc?: string;
    cnonce?: string;
    qop?: string;
    uri: string;
    entity?: string;
  }

  interface SipDigest {
    /** MD5(user:realm:password) in hex: HA1 for algorithm MD5. */
    calculateUserRealmPasswordHash(user: string, realm: string, password: string): string;
    /** The RFC 2617 §3.2.2.1 request-digest for qop auth, auth-int or none. */
    calculateDigest(ctx: DigestContext): string;
  }

  const digest: SipDigest;
  export default digest;
}
