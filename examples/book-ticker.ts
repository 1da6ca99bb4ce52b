// Best bid/ask from bookTicker with no JSON.parse and no allocation per message: tickwire's
// client hands each message over as a view, and jsonFields reads the fields in place.
//
//   node dist/examples/book-ticker.js              (embedded simulator on wss://localhost, 5 s)
//   node dist/examples/book-ticker.js wss://stream.binance.com:9443/ws/btcusdt@bookTicker
import { readFileSync } from 'node:fs';
import { connect, jsonFields } from 'tickwire';
import { startExchange, type Exchange } from 'tickwire/simulator';

const fields = jsonFields(['s', 'b', 'B', 'a', 'A', 'u']);
let messages = 0;
let bid = 0;
let ask = 0;
let lastUpdateId = 0;

let exchange: Exchange | null = null;
let url = process.argv[2];
let ca: Buffer | undefined;
if (url === undefined) {
  exchange = await startExchange({ symbols: ['btcusdt'], rate: 1000, tls: true });
  url = `${exchange.wssUrl}/ws/btcusdt@bookTicker`;
  ca = readFileSync(new URL('../../fixtures/tls/ca.pem', import.meta.url));
}

const client = await connect(url, {
  ...(ca !== undefined && { ca }),
  onMessage(data, start, end) {
    if (!fields.scan(data, start, end)) return; // malformed or not a bookTicker: skip, never throws
    messages++;
    bid = fields.number(1);
    ask = fields.number(3);
    lastUpdateId = fields.integer(5);
  },
  onClose(code, reason) {
    console.log(`closed ${code} ${reason}: ${messages} updates, last ${lastUpdateId}: bid ${bid} ask ${ask}`);
    void exchange?.close();
  },
  onError: (error) => console.error(`error: ${error.message}`),
});
const timer = setInterval(() => console.log(`${messages} updates  bid ${bid}  ask ${ask}`), 1000);
setTimeout(() => {
  clearInterval(timer);
  client.close(1000, 'example done');
}, 5000);
