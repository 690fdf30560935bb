/**
 * One AMI message as it came off the wire: an ordered list of `Name: value` headers. Header names
 * are matched case-insensitively (Asterisk's own astman_get_header does the same, main/manager.c),
 * repeated headers (`Variable:`, `ChanVariable:`) are all kept in their order, and a value keeps
 * every `: ` after the first one.
 */
export class AmiMessage {
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;

  constructor(headers: ReadonlyArray<readonly [string, string]>) {
    this.headers = headers;
  }

  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [key, value] of this.headers) if (key.toLowerCase() === wanted) return value;
    return undefined;
  }

  /** Every value of `name`, in wire order. */
  getAll(name: string): string[] {
    const wanted = name.toLowerCase();
    return this.headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
  }

  /** `Event:` value when this is an event. */
  get event(): string | undefined {
    return this.get("Event");
  }

  /** `Response:` value (Success, Error, Goodbye, Follows) when this is a response. */
  get response(): string | undefined {
    return this.get("Response");
  }

  get actionId(): string | undefined {
    return this.get("ActionID");
  }

  /** A non-negative integer header, or undefined when absent or not a number. */
  count(name: string): number | undefined {
    const text = this.get(name)?.trim();
    if (text === undefined || !/^[0-9]{1,9}$/.test(text)) return undefined;
    return Number(text);
  }
}

/** Values an action header can take; arrays become repeated headers (`Variable: a=1`, `Variable: b=2`). */
export type AmiFieldValue = string | number | boolean | readonly string[];

/**
 * Wire text of one action. CR and LF inside names or values would end the header (or the whole
 * message) early and let a value smuggle in a second action, so they are refused here rather than
 * trusted to every caller.
 */
export function encodeAction(
  action: string,
  actionId: string,
  fields: Readonly<Record<string, AmiFieldValue | undefined>> = {},
): string {
  const lines = [`Action: ${checked(action)}`, `ActionID: ${checked(actionId)}`];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) lines.push(`${checked(name)}: ${checked(String(one))}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

function checked(text: string): string {
  if (/[\r\n\0]/.test(text)) {
    throw new RangeError(`AMI header text must not contain CR, LF or NUL: ${JSON.stringify(text)}`);
  }
  return text;
}
