/**
 * One Authentication-Results header (RFC 8601 §2.2): who wrote it and what it found, e.g.
 * `mx.google.com; dkim=pass header.i=@google.com header.s=20230601 header.b=Ab1; spf=pass …`.
 */
export interface AuthenticationResults {
  /** The authserv-id: the receiving server that wrote the header, lowercased ("mx.google.com"). */
  authservId: string;
  results: AuthenticationResult[];
}

/** One `method=result` with its properties; names lowercased, values as written (unquoted). */
export interface AuthenticationResult {
  method: string;
  result: string;
  /** "header.d" → "google.com", "header.i" → "@google.com", "reason" → "…". */
  properties: Record<string, string>;
}

type Token = { kind: "word" | "quoted"; text: string } | { kind: "=" | ";" };

/**
 * Parses the value of one Authentication-Results header. Comments `(…)`, nested or not, are
 * dropped; quoted strings are unquoted; `a = b` and `a=b` are the same. A resinfo that does not
 * parse is skipped rather than guessed at. Returns undefined when there is no authserv-id.
 * Never throws, whatever the text.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | undefined {
  const segments = splitSegments(tokenize(value));
  const head = segments.shift() ?? [];
  const id = head[0];
  if (id === undefined || (id.kind !== "word" && id.kind !== "quoted") || id.text === "")
    return undefined;
  const results: AuthenticationResult[] = [];
  for (const segment of segments) {
    const result = parseResinfo(segment);
    if (result) results.push(result);
  }
  return { authservId: id.text.toLowerCase(), results };
}

/** `method[/version] = result *(ptype.property = value)`; undefined when malformed. */
function parseResinfo(tokens: Token[]): AuthenticationResult | undefined {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < tokens.length; i += 3) {
    const [name, eq, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (name?.kind !== "word" || eq?.kind !== "=") return undefined;
    if (value?.kind !== "word" && value?.kind !== "quoted") return undefined;
    pairs.push([name.text.toLowerCase(), value.text]);
  }
  const first = pairs.shift();
  if (!first) return undefined;
  const method = first[0].split("/")[0] ?? "";
  if (!/^[a-z0-9-]+$/.test(method)) return undefined;
  return { method, result: first[1].toLowerCase(), properties: Object.fromEntries(pairs) };
}

function splitSegments(tokens: Token[]): Token[][] {
  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === ";") segments.push([]);
    else segments[segments.length - 1]!.push(token);
  }
  return segments;
}

/** Words, quoted strings, `=` and `;`; comments and whitespace are separators (RFC 5322 CFWS). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "(") i = skipComment(text, i);
    else if (c === '"') {
      const [quoted, next] = readQuoted(text, i);
      tokens.push({ kind: "quoted", text: quoted });
      i = next;
    } else if (c === "=" || c === ";") {
      tokens.push({ kind: c });
      i++;
    } else if (c === ")" || /\s/.test(c))
      i++; // a stray ")" is noise; skipping it also keeps i moving
    else {
      let end = i;
      while (end < text.length && !/[\s()";=]/.test(text[end]!)) end++;
      tokens.push({ kind: "word", text: text.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

/** Index after the comment starting at `start`; comments nest and `\` escapes (RFC 5322 §3.2.2). */
function skipComment(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i + 1;
  }
  return text.length; // an unclosed comment swallows the rest, as a strict parser would refuse it
}

function readQuoted(text: string, start: number): [string, number] {
  let out = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") out += text[++i] ?? "";
    else if (c === '"') return [out, i + 1];
    else out += c;
  }
  return [out, text.length];
}
