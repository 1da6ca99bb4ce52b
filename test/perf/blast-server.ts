// Child-process server for the steady-state allocation test: answers the upgrade, then writes
// `count` pre-built ~100-byte bookTicker frames as fast as the socket drains, and stays open.
// Runs in its own process so its allocations never show in the client's GC counts.
import { createHash } from 'node:crypto';
import net from 'node:net';

const count = Number(process.argv[2] ?? 1_000_000);
const BATCH_FRAMES = 512;

function frame(payload: string): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([Buffer.from([0x81, body.length]), body]); // FIN + text, 7-bit length
}

function batch(): Buffer {
  const frames: Buffer[] = [];
  for (let index = 0; index < BATCH_FRAMES; index++) {
    const id = String(400900217 + index).padStart(12, '0');
    frames.push(frame(`{"u":${id},"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}`));
  }
  return Buffer.concat(frames);
}

const server = net.createServer((socket) => {
  let head = '';
  socket.on('data', function onHead(chunk: Buffer) {
    head += chunk.toString('latin1');
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    socket.off('data', onHead);
    socket.on('data', () => {}); // the client's close frame, ignored
    const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
    const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const frames = batch();
    let sent = 0;
    const pump = (): void => {
      while (sent < count) {
        const frames_ = Math.min(BATCH_FRAMES, count - sent);
        const chunk = frames_ === BATCH_FRAMES ? frames : frames.subarray(0, (frames.length / BATCH_FRAMES) * frames_);
        sent += frames_;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as net.AddressInfo;
  process.send?.({ port: address.port, frameBytes: batch().length / BATCH_FRAMES });
});
process.on('disconnect', () => process.exit(0));
