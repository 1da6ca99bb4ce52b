// Floods a socket with one frame repeated, as a hostile peer does, honouring TCP back-pressure:
// when write() says the kernel buffers are full it waits for 'drain', and gives up after a few
// waits that see no drain (the other side stopped reading: it pushed back). No timing is
// asserted by the callers; the waits only decide when the flood is over.
import type { Socket } from 'node:net';

export interface FloodResult {
  /** Bytes handed to the kernel. */
  sentBytes: number;
  /** The flood ended because the peer stopped taking bytes (not because `totalBytes` went out). */
  pushedBack: boolean;
}

export async function flood(socket: Socket, frame: Uint8Array, totalBytes: number, afterEachChunk: () => void = () => {}): Promise<FloodResult> {
  const perChunk = Math.max(1, Math.floor((64 * 1024) / frame.length));
  const chunk = Buffer.concat(Array.from({ length: perChunk }, () => frame));
  let sentBytes = 0;
  let stalls = 0;
  while (sentBytes < totalBytes && !socket.destroyed) {
    const accepted = socket.write(chunk);
    sentBytes += chunk.length;
    afterEachChunk();
    if (accepted) {
      stalls = 0;
      // Let the peer's reads and timers run between chunks.
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    const drained = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        socket.off('drain', onDrain);
        resolve(false);
      }, 250);
      const onDrain = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      socket.once('drain', onDrain);
    });
    afterEachChunk();
    if (drained) stalls = 0;
    else if (++stalls >= 4) return { sentBytes, pushedBack: true };
  }
  return { sentBytes, pushedBack: false };
}
