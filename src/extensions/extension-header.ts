// The Sec-WebSocket-Extensions header grammar (RFC 6455 9.1), shared by the client (reading
// the server's answer) and the server role (reading the client's offers):
//
//   Sec-WebSocket-Extensions = extension-list
//   extension-list = 1#extension
//   extension = extension-token *( ";" extension-param )
//   extension-param = token [ "=" (token | quoted-string) ]
//       ;When using the quoted-string syntax variant, the value after quoted-string
//       ;unescaping MUST conform to the 'token' ABNF.
//
// Only handshakes go through here (once per connection), so plain strings and arrays are fine.

import { isToken } from '../handshake/tokens.js';

export interface ExtensionParam {
  /** Parameter name as sent (compare lower-cased: RFC 7692 names are case-insensitive tokens). */
  name: string;
  /** The value after quoted-string unescaping, or null when the parameter has no value. */
  value: string | null;
}

export interface ExtensionElement {
  /** Extension token, lower-cased. */
  name: string;
  params: ExtensionParam[];
}

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Parses a Sec-WebSocket-Extensions value (several header lines already joined with ", ").
 * Returns null when the value does not match the grammar above, so the caller can fail the
 * handshake rather than guess.
 */
export function parseExtensions(value: string): ExtensionElement[] | null {
  const scanner = new Scanner(value);
  const out: ExtensionElement[] = [];
  for (;;) {
    scanner.skipOws();
    if (scanner.atEnd()) break;
    // RFC 7230 7: empty list elements are ignored.
    if (scanner.peek() === COMMA) {
      scanner.position++;
      continue;
    }
    const name = scanner.token();
    if (name === null) return null;
    const element: ExtensionElement = { name: name.toLowerCase(), params: [] };
    scanner.skipOws();
    while (scanner.peek() === SEMICOLON) {
      scanner.position++;
      scanner.skipOws();
      const paramName = scanner.token();
      if (paramName === null) return null;
      scanner.skipOws();
      let paramValue: string | null = null;
      if (scanner.peek() === EQUALS) {
        scanner.position++;
        scanner.skipOws();
        paramValue = scanner.peek() === DQUOTE ? scanner.quotedString() : scanner.token();
        if (paramValue === null || !isToken(paramValue)) return null;
        scanner.skipOws();
      }
      element.params.push({ name: paramName, value: paramValue });
    }
    out.push(element);
    if (scanner.atEnd()) break;
    if (scanner.peek() !== COMMA) return null;
    scanner.position++;
  }
  return out.length === 0 ? null : out;
}

/** Formats one extension element: `name; a; b=10`. Values must be tokens (never quoted). */
export function formatExtension(element: ExtensionElement): string {
  let text = element.name;
  for (const param of element.params) {
    text += param.value === null ? `; ${param.name}` : `; ${param.name}=${param.value}`;
  }
  return text;
}

class Scanner {
  position = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): number {
    return this.position < this.text.length ? this.text.charCodeAt(this.position) : -1;
  }

  skipOws(): void {
    while (this.peek() === SP || this.peek() === HTAB) this.position++;
  }

  /** RFC 7230 token, or null when there is none at the current position. */
  token(): string | null {
    const start = this.position;
    while (!this.atEnd() && isTokenChar(this.text.charCodeAt(this.position))) this.position++;
    return this.position === start ? null : this.text.slice(start, this.position);
  }

  /** RFC 7230 3.2.6 quoted-string with quoted-pair escapes; null when unterminated. */
  quotedString(): string | null {
    this.position++; // opening DQUOTE
    let value = '';
    while (!this.atEnd()) {
      const c = this.text.charCodeAt(this.position++);
      if (c === DQUOTE) return value;
      if (c === BACKSLASH) {
        if (this.atEnd()) return null;
        value += this.text[this.position++];
      } else {
        value += this.text[this.position - 1];
      }
    }
    return null;
  }
}

function isTokenChar(c: number): boolean {
  return c < 128 && isToken(String.fromCharCode(c));
}
