// Worker mode: a dedicated I/O thread reads the socket and parses frames; the main thread
// drains messages from a shared-memory ring with process(), like the original design's
// `while (open) websocket_process(ws)` loop. Each message is a view on the ring: no copy.
//
//   node dist/examples/worker-mode.js [url]
//   (default: Binance's public BTCUSDT best bid/ask stream)
import { connectWorker } from 'tickwire';

const url = process.argv[2] ?? 'wss://stream.binance.com:9443/ws/btcusdt@bookTicker';
const decoder = new TextDecoder();
let messages = 0;
let bytes = 0;

function onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
  messages++;
  bytes += end - start;
  // The view is valid only during this call: parse in place, copy out what you keep.
  if (messages <= 3 && isText) console.log(decoder.decode(data.slice(start, end)));
}

const client = await connectWorker(url, {
  ringBytes: 8 * 1024 * 1024, // the default; the largest message is half of it
  onClose: (code, reason) => console.log(`closed ${code} ${reason}`),
  onError: (error) => console.error(`error: ${error.message}`),
});
setTimeout(() => client.close(1000, 'example done'), 10_000).unref();

// Poll: deliver everything waiting, then give the event loop a turn (timers, the close).
// Alternative: pass onMessage in the options and tickwire drains as soon as data arrives.
while (client.state !== 'closed') {
  const delivered = client.process(onMessage);
  if (delivered === 0) await new Promise((resolve) => setTimeout(resolve, 1));
}
const { ringFullWaits } = client.stats;
console.log(`${messages} messages, ${bytes} bytes; ring full ${ringFullWaits} times (nothing is dropped: a full ring pauses the socket)`);
