// Shared pieces of the hostile-peer suite: bounded waits and resource counts that a test can
// assert on without timing anything.
import { connect as netConnect, type Socket } from 'node:net';
import { once } from 'node:events';

/** Open TCP sockets of this process (both ends of a loopback connection count). */
export function openTcpSockets(): number {
  let count = 0;
  for (const name of process.getActiveResourcesInfo()) if (name === 'TCPSocketWrap') count++;
  return count;
}

/**
 * Waits until condition() holds; fails after `timeoutMs`. The limit only turns a hang into a
 * failure: nothing asserts how fast the condition comes true.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A raw TCP peer that never half-closes (allowHalfOpen: the FIN it receives is not answered),
 * the way a broken or malicious client holds a connection open.
 */
export async function connectWithoutFin(port: number): Promise<Socket> {
  const socket = netConnect({ port, host: '127.0.0.1', allowHalfOpen: true });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

export const MiB = 1024 * 1024;

/** Bytes as MiB with one decimal, for diagnostics. */
export function mib(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}

/** Bytes of ArrayBuffers (Buffers included) still alive after a full collection. */
export function externalBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (tools/run-tests.mjs does)');
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}
