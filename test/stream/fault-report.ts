// The fault tests' report, shared by every venue's fault table: one row per case from the
// managed stream's counters and the ledger's check (every id delivered once or reported missing),
// printed as a markdown table when the file's tests end.
import assert from 'node:assert/strict';
import type { ManagedStream } from '../../src/index.js';
import type { Ledger } from './ledger.js';

export interface FaultRow {
  name: string;
  sent: number;
  received: number;
  delivered: number;
  duplicatesDropped: number;
  gaps: number;
  missingIds: number;
  deliveredTwice: number;
  note: string;
}

/** Checks a case's ledger (throws on an id lost silently or delivered twice); returns the ids reported missing and delivered twice. */
export type LedgerCheck = (ledger: Ledger) => { missing: number; duplicated: number };

const contiguous: LedgerCheck = (ledger) => ledger.verifyContiguous();

export class FaultReport {
  readonly rows: FaultRow[] = [];
  private readonly title: string;

  constructor(title = 'case') {
    this.title = title;
  }

  /** Checks the ledger, asserts the stream and the ledger agree, and records a row. */
  record(name: string, sent: number, stream: ManagedStream, ledger: Ledger, note: string, check: LedgerCheck = contiguous): FaultRow {
    const totals = check(ledger);
    const stats = stream.stats;
    assert.equal(stats.delivered, ledger.delivered);
    assert.equal(stats.missingIds, totals.missing, 'the stream and the ledger count the same missing ids');
    const row: FaultRow = {
      name,
      sent,
      received: stats.received,
      delivered: stats.delivered,
      duplicatesDropped: stats.duplicates,
      gaps: stats.gaps,
      missingIds: stats.missingIds,
      deliveredTwice: totals.duplicated,
      note,
    };
    this.rows.push(row);
    return row;
  }

  /** The table (for `after()`). */
  print(): void {
    const header = `| ${this.title} | sent | received | delivered | duplicates dropped | gaps | ids reported missing | delivered twice | note |`;
    const lines = this.rows.map((row) => `| ${row.name} | ${row.sent} | ${row.received} | ${row.delivered} | ${row.duplicatesDropped} | ${row.gaps} | ${row.missingIds} | ${row.deliveredTwice} | ${row.note} |`);
    console.log(['', header, '|---|---|---|---|---|---|---|---|---|', ...lines].join('\n'));
  }
}

/** `reason:code` of every connection that closed, in order. */
export function closedReasons(ledger: Ledger): string[] {
  return ledger.events.flatMap((event) => (event.type === 'closed' ? [`${event.reason}:${event.code}`] : []));
}
