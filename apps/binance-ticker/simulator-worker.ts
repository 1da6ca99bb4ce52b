// Worker-thread entry for the embedded simulator (see simulator-thread.ts). Starts the exchange,
// reports its URLs, and closes it when the parent says so.
import { parentPort, workerData } from 'node:worker_threads';
import { startExchange, type ExchangeOptions } from 'tickwire/simulator';

const port = parentPort!;
const exchange = await startExchange(workerData as ExchangeOptions);
port.on('message', (message: string) => {
  if (message !== 'close') return;
  void exchange.close().then(() => {
    port.postMessage({ type: 'closed' });
    port.close();
  });
});
port.postMessage({ type: 'ready', url: exchange.url, wssUrl: exchange.wssUrl, restUrl: exchange.restUrl });
