// The soak's simulator, in its own process so that its CPU and memory are not the consumer's.
// Options come as JSON in argv[2]; the parent injects faults and asks for figures over IPC.
import { startExchange, type Exchange, type Fault } from 'tickwire/simulator';

export interface ExchangeChildOptions {
  symbols: string[];
  /** Book updates per second per symbol. */
  rate: number;
  seed: number;
}

/** A fault as the soak names it: one of the simulator's, or a server restart on the same port. */
export type SoakFault = Fault | { type: 'restart'; downtimeMs: number };

export type ToExchange = { type: 'fault'; fault: SoakFault } | { type: 'sample' } | { type: 'final' } | { type: 'close' };

export type FromExchange =
  | { type: 'ready'; url: string }
  | { type: 'faulted'; affected: number; error?: string }
  | { type: 'sample'; rss: number; messagesSent: number; connections: number }
  | { type: 'final'; updateIds: Record<string, number>; messagesSent: number };

const options = JSON.parse(process.argv[2] ?? '{}') as ExchangeChildOptions;

function send(message: FromExchange): void {
  process.send?.(message);
}

/** restart() is newer than some simulators this harness may run against: used when present. */
type Restartable = Exchange & { restart?: (options?: { downtimeMs?: number }) => Promise<void> };

async function main(): Promise<void> {
  const exchange = (await startExchange({ symbols: options.symbols, rate: options.rate, seed: options.seed })) as Restartable;
  process.on('message', (message: ToExchange) => {
    void (async () => {
      switch (message.type) {
        case 'fault': {
          const fault = message.fault;
          if (fault.type === 'restart') {
            if (exchange.restart === undefined) send({ type: 'faulted', affected: 0, error: 'this simulator has no restart()' });
            else {
              const connections = exchange.stats().connections;
              await exchange.restart({ downtimeMs: fault.downtimeMs });
              send({ type: 'faulted', affected: connections });
            }
          } else send({ type: 'faulted', affected: exchange.injectFault(fault) });
          return;
        }
        case 'sample': {
          const stats = exchange.stats();
          send({ type: 'sample', rss: process.memoryUsage().rss, messagesSent: stats.messagesSent, connections: stats.connections });
          return;
        }
        case 'final': {
          exchange.pause();
          const updateIds: Record<string, number> = {};
          for (const symbol of exchange.symbols) updateIds[symbol] = exchange.book(symbol).lastUpdateId;
          send({ type: 'final', updateIds, messagesSent: exchange.stats().messagesSent });
          return;
        }
        case 'close':
          await exchange.close();
          process.exit(0);
      }
    })();
  });
  send({ type: 'ready', url: exchange.url });
}

void main();
