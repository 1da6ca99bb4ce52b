// The embedded simulator on its own thread. In the ticker's thread it would share one event loop
// with the client: every event would wait for the client's callbacks and the other way round, and
// the send-stamp latency would mostly measure that queueing. On a worker thread the sender runs
// beside the client, as an exchange does; process.hrtime reads the same monotonic clock in both.
import { Worker } from 'node:worker_threads';
import type { ExchangeOptions } from 'tickwire/simulator';

export interface SimulatorThread {
  readonly url: string;
  readonly wssUrl: string | undefined;
  readonly restUrl: string;
  close(): Promise<void>;
}

interface ReadyMessage {
  type: 'ready';
  url: string;
  wssUrl: string | undefined;
  restUrl: string;
}

/** Time allowed for the worker to close its servers before it is terminated. */
const CLOSE_TIMEOUT_MS = 3_000;

export function startSimulatorThread(options: ExchangeOptions): Promise<SimulatorThread> {
  const worker = new Worker(new URL('./simulator-worker.js', import.meta.url), { workerData: options });
  return new Promise<SimulatorThread>((resolve, reject) => {
    const onEarlyExit = (code: number): void => reject(new Error(`simulator thread exited with code ${code} before it was ready`));
    worker.once('error', reject);
    worker.once('exit', onEarlyExit);
    worker.once('message', (message: ReadyMessage) => {
      worker.off('error', reject);
      worker.off('exit', onEarlyExit);
      worker.on('error', () => {}); // after start-up the ticker only needs the data to flow
      resolve({
        url: message.url,
        wssUrl: message.wssUrl,
        restUrl: message.restUrl,
        close: () =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
            worker.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            worker.postMessage('close');
          }),
      });
    });
  });
}
