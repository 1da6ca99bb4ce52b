// Fault injection: what `Exchange.injectFault` does to the connections, streams and engine.
import type { ConnectionAdmission } from './admission.js';
import type { Fault } from './options.js';
import type { Pacer } from './pacer.js';
import type { StreamRegistry } from './registry.js';
import type { Session } from './session.js';
import type { VenueRuntime } from './venues/dialect.js';

export interface FaultTarget {
  readonly sessions: ReadonlySet<Session>;
  readonly registry: StreamRegistry;
  readonly pacer: Pacer;
  readonly admission: ConnectionAdmission;
  /** Venue-only faults (Binance serverShutdown) go to the venue. */
  readonly venue: VenueRuntime;
  readonly venueName: string;
}

/** Applies a fault; returns how many connections (or, per stream, subscribers) it touched. */
export function applyFault(fault: Fault, target: FaultTarget): number {
  const sessions = [...target.sessions];
  switch (fault.type) {
    case 'drop':
      for (const session of sessions) session.connection.terminate();
      return sessions.length;
    case 'silent':
      for (const session of sessions) {
        session.silent = true;
        session.connection.autoPong = false;
      }
      return sessions.length;
    case 'resume':
      for (const session of sessions) {
        session.silent = false;
        session.connection.autoPong = true;
      }
      target.pacer.wake();
      return sessions.length;
    case 'close':
      for (const session of sessions) {
        session.open = false;
        session.connection.close(fault.code ?? 1001, fault.reason ?? '');
      }
      return sessions.length;
    case 'serverShutdown':
    case 'sbeSchema':
    case 'checksum':
    case 'bookSnapshot':
    case 'serviceRestart': {
      const affected = target.venue.injectFault?.(fault, sessions);
      if (affected === undefined) throw new RangeError(`${fault.type}: not a fault of venue ${target.venueName}`);
      return affected;
    }
    case 'gap': {
      let affected = 0;
      for (const entry of target.registry.diffStreams(fault.symbol?.toLowerCase())) {
        entry.dropEvents += fault.events ?? 1;
        affected += entry.subscribers.length;
      }
      return affected;
    }
    case 'rate':
      target.pacer.setRate(fault.rate);
      return sessions.length;
    case 'silenceStream':
    case 'resumeStream': {
      const entry = target.registry.get(fault.stream);
      if (entry === undefined) throw new RangeError(`${fault.type}: unknown stream ${JSON.stringify(fault.stream)}`);
      entry.silenced = fault.type === 'silenceStream';
      return entry.subscribers.length;
    }
    case 'rateLimit':
      target.admission.forceRateLimit(fault.retryAfterMs);
      return 0;
  }
}
