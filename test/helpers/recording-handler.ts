// A FrameHandler that records every call with a copy of its bytes (the parser's views are valid
// only during the call), for unit and property tests of the frame parser.
import type { WebSocketError } from '../../src/protocol/errors.js';
import { FrameParser } from '../../src/protocol/frame-parser.js';
import type { FrameHandler } from '../../src/protocol/handler.js';

export type Recorded =
  | { kind: 'message'; data: Buffer; isText: boolean }
  | { kind: 'ping'; data: Buffer }
  | { kind: 'pong'; data: Buffer }
  | { kind: 'close'; code: number; reason: Buffer }
  | { kind: 'error'; code: string; closeCode: number; message: string };

export class RecordingHandler implements FrameHandler {
  readonly events: Recorded[] = [];

  onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
    this.events.push({ kind: 'message', data: copy(data, start, end), isText });
  }

  onPing(data: Uint8Array, start: number, end: number): void {
    this.events.push({ kind: 'ping', data: copy(data, start, end) });
  }

  onPong(data: Uint8Array, start: number, end: number): void {
    this.events.push({ kind: 'pong', data: copy(data, start, end) });
  }

  onCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void {
    this.events.push({ kind: 'close', code, reason: copy(data, reasonStart, reasonEnd) });
  }

  onProtocolError(error: WebSocketError): void {
    this.events.push({ kind: 'error', code: error.code, closeCode: error.closeCode, message: error.message });
  }

  get errors(): Array<Extract<Recorded, { kind: 'error' }>> {
    return this.events.filter((event): event is Extract<Recorded, { kind: 'error' }> => event.kind === 'error');
  }

  get messages(): Array<Extract<Recorded, { kind: 'message' }>> {
    return this.events.filter((event): event is Extract<Recorded, { kind: 'message' }> => event.kind === 'message');
  }
}

function copy(data: Uint8Array, start: number, end: number): Buffer {
  if (!(start >= 0 && start <= end && end <= data.length)) throw new Error(`bad view [${start}, ${end}) of ${data.length}`);
  return Buffer.from(data.subarray(start, end));
}

export interface ParseOptions {
  maxPayload?: number;
  expectMasked?: boolean;
}

/** A client-role parser with a fresh recording handler. */
export function newParser(options: ParseOptions = {}): { parser: FrameParser; handler: RecordingHandler } {
  const handler = new RecordingHandler();
  const parser = new FrameParser(handler, { expectMasked: options.expectMasked ?? false, maxPayload: options.maxPayload ?? 64 * 1024 * 1024 });
  return { parser, handler };
}

/**
 * Feeds `data` cut at the given positions (any order, duplicates and out-of-range values are
 * fine). Each piece is copied into its own buffer with junk around it, so the parser cannot
 * read outside [start, end) without the test noticing.
 */
export function feed(parser: FrameParser, data: Uint8Array, cuts: readonly number[] = []): void {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < data.length))].sort((a, b) => a - b);
  points.push(data.length);
  let from = 0;
  for (const to of points) {
    const piece = new Uint8Array(to - from + 6).fill(0xff);
    piece.set(data.subarray(from, to), 3);
    parser.push(piece, 3, 3 + to - from);
    from = to;
  }
}

/** Parses data in one piece (or at the cuts) with a fresh parser; returns the recorded events. */
export function parseAll(data: Uint8Array, cuts: readonly number[] = [], options: ParseOptions = {}): Recorded[] {
  const { parser, handler } = newParser(options);
  feed(parser, data, cuts);
  return handler.events;
}
