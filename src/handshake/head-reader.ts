// The HTTP/1.1 head tokenizer shared by the client's 101-response parser and the server role's
// upgrade-request parser: an explicit state machine fed with arbitrary slices of bytes, which
// splits the head into lines, checks header syntax, and stops at the blank line so the bytes
// after it (frames that arrived in the same segment) stay with the caller.
//
// Line endings: RFC 7230 3.5 lets a recipient accept a bare LF, and 3.2.4 lets a user agent
// unfold obs-fold. tickwire does neither: it fails on a bare LF, on a CR not followed by LF, and
// on a line starting with SP/HTAB. Real WebSocket servers and clients always send CRLF and no
// folding, and a reader that is lenient where another is strict is how request smuggling and
// response splitting start; a clear error is better than a guess.

import { isFieldValue, isToken, trimOws } from './tokens.js';

/** Largest head (start line + header lines + final CRLF) accepted, in bytes. */
export const MAX_HEAD_SIZE = 16 * 1024;

// Reader states. READ_LINE: collecting the bytes of a line. READ_LF: a CR was seen, an LF
// must follow. COMPLETE and FAILED are terminal: push() consumes nothing more.
export const HEAD_READ_LINE = 0;
export const HEAD_READ_LF = 1;
export const HEAD_COMPLETE = 2;
export const HEAD_FAILED = 3;

const CR = 0x0d;
const LF = 0x0a;
const HTAB = 0x09;
const SP = 0x20;

/** First size of the spill buffer that holds a line split across chunks; doubles up to the head limit. */
const SPILL_INITIAL_SIZE = 256;

/** What a subclass reports from a check: null when fine, else the failure. */
export interface HeadFailure {
  message: string;
  /** The status the server role answers with; the client side ignores it. */
  status: number;
}

export abstract class HeadReader {
  /** One of HEAD_READ_LINE, HEAD_READ_LF, HEAD_COMPLETE, HEAD_FAILED. */
  state = HEAD_READ_LINE;
  /**
   * Header fields, names in lower case. A repeated field is joined with ", " (RFC 7230 3.2.2);
   * its name is also listed in `repeated` so a role can refuse repeats of critical fields.
   */
  readonly headers: Record<string, string> = {};
  /** Lower-case names of fields that appeared more than once, or null. */
  protected repeated: string[] | null = null;
  /** True once the blank line ending the head was read (set before checkHead runs). */
  protected headRead = false;

  private readonly maxHeadSize: number;
  /** Head bytes consumed so far, CR and LF included. */
  private headSize = 0;
  private lineCount = 0;
  /** The line (without CR) whose CR has been read, waiting for its LF. */
  private pendingLine = '';
  /** Bytes of a line that began in an earlier chunk; bounded by maxHeadSize. */
  private spill: Uint8Array | null = null;
  private spillLength = 0;

  constructor(maxHeadSize: number) {
    this.maxHeadSize = maxHeadSize;
  }

  /** Called with the first line; return a failure to stop reading. */
  protected abstract checkStartLine(line: string): HeadFailure | null;
  /** Called once the blank line ending the head was read. */
  protected abstract checkHead(): HeadFailure | null;
  /** Records the failure (builds the error); called exactly once. */
  protected abstract onFailure(failure: HeadFailure): void;
  /** A word for messages: 'response' or 'request'. */
  protected abstract readonly subject: string;

  /**
   * Feeds bytes chunk[start, end). Returns how many were consumed: all of them while the head
   * is incomplete; once `state` is HEAD_COMPLETE, chunk[start + returned, end) are the first
   * bytes after the head. Never throws on any input: a bad head sets `state` to HEAD_FAILED.
   */
  push(chunk: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end) {
      if (this.state === HEAD_READ_LINE) {
        i = this.readLine(chunk, i, end);
      } else if (this.state === HEAD_READ_LF) {
        i = this.readLf(chunk, i);
      } else {
        // COMPLETE or FAILED: nothing more belongs to the head.
        break;
      }
    }
    return i - start;
  }

  /** Scans for the CR ending the current line; returns the next index to read. */
  private readLine(chunk: Uint8Array, start: number, end: number): number {
    // Never scan past what the head limit allows: a line longer than the budget fails here
    // without looking at (or buffering) the rest of a large chunk.
    const budget = this.maxHeadSize - this.headSize;
    const limit = end - start > budget ? start + budget : end;
    let i = start;
    while (i < limit) {
      const byte = chunk[i]!;
      if (byte === CR || byte === LF) break;
      i++;
    }
    if (i === limit && limit < end) {
      this.fail(`${this.subject} head exceeds ${this.maxHeadSize} bytes`, 431);
      return i;
    }
    this.headSize += i - start;
    if (i === end) {
      this.keep(chunk, start, end);
      return end;
    }
    if (chunk[i] === LF) {
      this.fail(`invalid ${this.subject} head: bare LF without CR at line ${this.lineCount + 1} (CRLF required)`, 400);
      return i;
    }
    // chunk[i] is CR; the budget check above leaves room for it.
    this.headSize++;
    if (this.spillLength === 0) {
      this.pendingLine = latin1(chunk, start, i);
    } else {
      this.keep(chunk, start, i);
      this.pendingLine = latin1(this.spill!, 0, this.spillLength);
      this.spillLength = 0;
    }
    this.state = HEAD_READ_LF;
    return i + 1;
  }

  private readLf(chunk: Uint8Array, i: number): number {
    if (chunk[i] !== LF) {
      this.fail(`invalid ${this.subject} head: CR not followed by LF at line ${this.lineCount + 1}`, 400);
      return i;
    }
    if (this.headSize === this.maxHeadSize) {
      this.fail(`${this.subject} head exceeds ${this.maxHeadSize} bytes`, 431);
      return i;
    }
    this.headSize++;
    this.state = HEAD_READ_LINE;
    const line = this.pendingLine;
    this.pendingLine = '';
    this.lineCount++;
    if (this.lineCount === 1) {
      const failure = this.checkStartLine(line);
      if (failure !== null) this.failWith(failure);
    } else if (line.length === 0) {
      this.headRead = true;
      const failure = this.checkHead();
      if (failure !== null) this.failWith(failure);
      else this.state = HEAD_COMPLETE;
    } else {
      this.addHeaderLine(line);
    }
    return i + 1;
  }

  private addHeaderLine(line: string): void {
    const first = line.charCodeAt(0);
    if (first === SP || first === HTAB) {
      this.fail(`invalid ${this.subject} head: obs-fold (line starting with whitespace) is not accepted, line ${this.lineCount}`, 400);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === -1) {
      this.fail(`invalid ${this.subject} head: header line without colon, line ${this.lineCount}`, 400);
      return;
    }
    const name = line.slice(0, colon);
    if (!isToken(name)) {
      // RFC 7230 3.2.4: "No whitespace is allowed between the header field-name and colon."
      this.fail(`invalid ${this.subject} head: invalid header name ${JSON.stringify(name)}, line ${this.lineCount}`, 400);
      return;
    }
    const value = trimOws(line.slice(colon + 1));
    if (!isFieldValue(value)) {
      this.fail(`invalid ${this.subject} head: invalid character in the value of header ${JSON.stringify(name)}`, 400);
      return;
    }
    const key = name.toLowerCase();
    const headers = this.headers;
    if (Object.hasOwn(headers, key)) {
      headers[key] = headers[key] + ', ' + value;
      if (this.repeated === null) this.repeated = [key];
      else if (!this.repeated.includes(key)) this.repeated.push(key);
    } else if (key === '__proto__') {
      // A plain object's __proto__ setter would swallow the field.
      Object.defineProperty(headers, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      headers[key] = value;
    }
  }

  /** The first of `names` that appeared more than once, or null. */
  protected firstRepeated(names: readonly string[]): string | null {
    const repeated = this.repeated;
    if (repeated === null) return null;
    for (const name of names) if (repeated.includes(name)) return name;
    return null;
  }

  /** Appends chunk[start, end) to the spill buffer (growing it, never beyond the head limit). */
  private keep(chunk: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length === 0) return;
    const needed = this.spillLength + length;
    let spill = this.spill;
    if (spill === null || spill.length < needed) {
      let size = spill === null ? SPILL_INITIAL_SIZE : spill.length * 2;
      while (size < needed) size *= 2;
      if (size > this.maxHeadSize) size = Math.max(needed, this.maxHeadSize);
      const grown = new Uint8Array(size);
      if (spill !== null) grown.set(spill.subarray(0, this.spillLength));
      this.spill = spill = grown;
    }
    spill.set(chunk.subarray(start, end), this.spillLength);
    this.spillLength = needed;
  }

  protected fail(message: string, status: number): void {
    this.failWith({ message, status });
  }

  private failWith(failure: HeadFailure): void {
    this.state = HEAD_FAILED;
    this.spill = null;
    this.spillLength = 0;
    this.onFailure(failure);
  }
}

/** Decodes bytes as latin1 (one char per octet): RFC 7230 3.2.4, header text is octets, not UTF-8. */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
