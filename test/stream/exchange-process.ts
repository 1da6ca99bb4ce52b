// The simulator in a child process, so that its allocations stay out of an allocation test's
// GC counts. argv[2]: JSON ExchangeOptions. Sends { port } to the parent once listening.
import { startExchange, type ExchangeOptions } from '../../simulator/exchange.js';

const options = JSON.parse(process.argv[2] ?? '{}') as ExchangeOptions;
const exchange = await startExchange(options);
process.send!({ port: exchange.port });
process.on('message', (message: { fault?: Parameters<typeof exchange.injectFault>[0] }) => {
  if (message.fault !== undefined) exchange.injectFault(message.fault);
});
process.on('disconnect', () => {
  void exchange.close().then(() => process.exit(0));
});
