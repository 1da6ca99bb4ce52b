// Connection-attempt limits, as Binance applies them to stream connections: "There is a limit
// of 300 connections per attempt every 5 minutes per IP" (web-socket-streams.md, WebSocket
// Limits). Over the limit an attempt is answered 429 with Retry-After; an IP that tries again
// before Retry-After has passed is banned with 418, the ban growing for repeat offenders
// "from 2 minutes to 3 days" (rest-api.md, LIMITS: "A Retry-After header is sent with a 418 or
// 429 responses and will give the number of seconds required to wait, in the case of a 429, to
// prevent a ban, or, in the case of a 418, until the ban is over").
import type { HttpResponse } from 'tickwire';
import type { ConnectionLimits } from './session.js';

/** Longest ban: "from 2 minutes to 3 days". */
const MAX_BAN_MS = 3 * 24 * 60 * 60 * 1000;
/** Per-IP records kept; beyond this, records with nothing pending are forgotten first. */
const MAX_TRACKED_ADDRESSES = 10_000;

interface AddressRecord {
  /** Times of the attempts inside the window, oldest first (at most maxConnectionAttempts). */
  attempts: number[];
  /** A 429 told this address to wait until then. */
  retryAfterUntil: number;
  bannedUntil: number;
  /** Bans so far: each doubles the next one. */
  offences: number;
}

export class ConnectionAdmission {
  attempts = 0;
  rejected429 = 0;
  rejected418 = 0;
  private readonly limits: ConnectionLimits;
  private readonly records = new Map<string, AddressRecord>();
  /** Fault injection: every address gets 429 until then. */
  private forcedUntil = 0;

  constructor(limits: ConnectionLimits) {
    this.limits = limits;
  }

  /** Fault: the next attempts (from any address) are answered 429 for `retryAfterMs`. */
  forceRateLimit(retryAfterMs: number, now = performance.now()): void {
    this.forcedUntil = now + Math.max(0, retryAfterMs);
  }

  /** Decides on one connection attempt: true to go on with the upgrade, or the answer to send. */
  admit(address: string, now = performance.now()): true | HttpResponse {
    this.attempts++;
    const record = this.recordOf(address);
    if (now < record.bannedUntil) return this.ban(record, now, false);
    // banMs 0: the venue documents no ban (Bybit): an early attempt is refused with 429 again.
    if (now < record.retryAfterUntil) return this.limits.banMs === 0 ? this.tooMany(record, record.retryAfterUntil, now) : this.ban(record, now, true);
    if (now < this.forcedUntil) return this.tooMany(record, this.forcedUntil, now);
    const limit = this.limits.maxConnectionAttempts;
    if (limit === 0) return true;
    const windowMs = this.limits.connectionAttemptWindowMs;
    const attempts = record.attempts;
    while (attempts.length !== 0 && now - attempts[0]! >= windowMs) attempts.shift();
    if (attempts.length >= limit) return this.tooMany(record, attempts[0]! + windowMs, now);
    attempts.push(now);
    return true;
  }

  private tooMany(record: AddressRecord, until: number, now: number): HttpResponse {
    this.rejected429++;
    record.retryAfterUntil = until;
    const seconds = wholeSeconds(until - now);
    return refusal(429, seconds, `Too many connection attempts; current limit is ${this.limits.maxConnectionAttempts} per ${Math.round(this.limits.connectionAttemptWindowMs / 1000)} seconds.`);
  }

  /** 418: a new ban (the address came back before Retry-After), or the one still running. */
  private ban(record: AddressRecord, now: number, newOffence: boolean): HttpResponse {
    this.rejected418++;
    if (newOffence) {
      const banMs = Math.min(MAX_BAN_MS, this.limits.banMs * 2 ** record.offences);
      record.offences++;
      record.bannedUntil = now + banMs;
      record.retryAfterUntil = 0;
    }
    const seconds = wholeSeconds(record.bannedUntil - now);
    return refusal(418, seconds, `Way too many connection attempts; IP banned until ${Math.round(performance.timeOrigin + record.bannedUntil)}.`);
  }

  private recordOf(address: string): AddressRecord {
    let record = this.records.get(address);
    if (record === undefined) {
      if (this.records.size >= MAX_TRACKED_ADDRESSES) this.forgetIdle();
      record = { attempts: [], retryAfterUntil: 0, bannedUntil: 0, offences: 0 };
      this.records.set(address, record);
    }
    return record;
  }

  private forgetIdle(): void {
    const now = performance.now();
    for (const [address, record] of this.records) {
      if (record.bannedUntil <= now && record.retryAfterUntil <= now && record.offences === 0) this.records.delete(address);
    }
    // Still full (every address is banned): forget the oldest, keeping memory bounded.
    if (this.records.size >= MAX_TRACKED_ADDRESSES) this.records.delete(this.records.keys().next().value!);
  }
}

/**
 * Retry-After is whole seconds, rounded up (waiting that long is always enough). The
 * difference is rounded to whole milliseconds first: `now + 5000 - now` can be 5000.000001.
 */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(Math.round(ms) / 1000));
}

/** The HTTP answer to a refused upgrade: Binance's REST error shape (code -1003) and Retry-After. */
function refusal(status: 429 | 418, retryAfterSeconds: number, msg: string): HttpResponse {
  return {
    status,
    headers: { 'Retry-After': String(retryAfterSeconds), 'Content-Type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ code: -1003, msg }),
  };
}
