// Character classes of RFC 7230 (HTTP/1.1 message syntax) shared by the request builder and
// the two head parsers. Tables over char codes so every check is one loop, no regex per char.

/** RFC 7230 3.2.6: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
const TOKEN_CHARS = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOKEN_CHARS[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN_CHARS[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN_CHARS[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TOKEN_CHARS[ch.charCodeAt(0)] = 1;

const HTAB = 0x09;
const SP = 0x20;

/** RFC 7230 3.2.6: token = 1*tchar. */
export function isToken(text: string): boolean {
  const length = text.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TOKEN_CHARS[c] === 0) return false;
  }
  return true;
}

/**
 * RFC 7230 3.2: field-content = field-vchar [ 1*( SP / HTAB ) field-vchar ], where
 * field-vchar = VCHAR / obs-text. So HTAB, SP, 0x21-0x7E and 0x80-0xFF; never CR, LF, NUL or
 * another control character (a CR or LF would split the header: response splitting).
 * Chars above 0xFF cannot be written as one octet and are rejected too.
 */
export function isFieldValue(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < SP ? c !== HTAB : c === 0x7f || c > 0xff) return false;
  }
  return true;
}

/** Visible ASCII only (0x21-0x7E): what a request-target or Host value may contain on the wire. */
export function isVisibleAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= SP || c >= 0x7f) return false;
  }
  return true;
}

/** Strips RFC 7230 OWS (SP / HTAB) from both ends. */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

/**
 * RFC 7230 7: the #rule list, "1#element" => element *( OWS "," OWS element ); empty elements
 * are ignored ("a recipient MUST accept and ignore a reasonable number of empty list elements").
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const element = trimOws(part);
    if (element.length !== 0) out.push(element);
  }
  return out;
}

/** Whether a comma list (e.g. `Connection: keep-alive, Upgrade`) holds `token`, ASCII case-insensitively. */
export function listHasToken(value: string, token: string): boolean {
  const wanted = token.toLowerCase();
  for (const element of splitList(value)) {
    if (element.toLowerCase() === wanted) return true;
  }
  return false;
}
