// The fault tests' report (test/stream/faults.test.ts and the venues' fault tests): one row per
// case with the exchange's messages sent and the stream's counters, checked against the ledger
// ("every id sent reached the user exactly once or lies in a reported gap") before it is kept.
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

export class FaultTable {
  readonly rows: FaultRow[] = [];

  /** Checks the ledger against the stream's counters and records a row from them. */
  record(name: string, sent: number, stream: ManagedStream, ledger: Ledger, note: string): FaultRow {
    const totals = ledger.verifyContiguous();
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

  /** The table as Markdown, headed by `caseTitle`. */
  render(caseTitle: string): string {
    const header = `| ${caseTitle} | sent | received | delivered | duplicates dropped | gaps | ids reported missing | delivered twice | note |`;
    const lines = this.rows.map((row) => `| ${row.name} | ${row.sent} | ${row.received} | ${row.delivered} | ${row.duplicatesDropped} | ${row.gaps} | ${row.missingIds} | ${row.deliveredTwice} | ${row.note} |`);
    return ['', header, '|---|---|---|---|---|---|---|---|---|', ...lines].join('\n');
  }
}
