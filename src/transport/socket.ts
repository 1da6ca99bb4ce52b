import net from 'node:net';
import tls from 'node:tls';

/** Default size of the reusable receive buffer. Loopback reads of a busy stream fill ~64-200 KiB. */
export const DEFAULT_RECEIVE_BUFFER_BYTES = 256 * 1024;

export interface TransportOptions {
  host: string;
  port: number;
  secure: boolean;
  /** TLS server name (SNI and certificate hostname check); defaults to host unless it is an IP. */
  servername?: string;
  ca?: string | Buffer | Array<string | Buffer>;
  rejectUnauthorized: boolean;
  noDelay: boolean;
  receiveBuffer: Uint8Array;
  /**
   * Called for every read with the number of bytes placed at the start of receiveBuffer.
   * Node reuses the buffer for the next read, so the bytes must be consumed before returning.
   * Reading is paused with socket.pause() (by the write queue or the user), never by the return value.
   */
  onRead(length: number, buffer: Uint8Array): void;
}

/**
 * Opens a TCP (node:net) or TLS (node:tls, OpenSSL) socket whose reads land in one reusable
 * buffer (`onread`): no Buffer is allocated per read, unlike 'data' events.
 */
export function openSocket(options: TransportOptions): net.Socket {
  // @types/node declares the callback as returning boolean; Node pauses only on `false`, and
  // tickwire pauses with socket.pause() instead, so the callback returns nothing.
  const onread = { buffer: options.receiveBuffer, callback: options.onRead } as unknown as net.OnReadOpts;
  let socket: net.Socket;
  if (options.secure) {
    const servername = options.servername ?? (net.isIP(options.host) === 0 ? options.host : undefined);
    const tlsOptions: tls.ConnectionOptions = {
      host: options.host,
      port: options.port,
      rejectUnauthorized: options.rejectUnauthorized,
      // HTTP/1.1 upgrade only: never negotiate h2.
      ALPNProtocols: ['http/1.1'],
      onread,
    } as tls.ConnectionOptions;
    if (servername !== undefined) tlsOptions.servername = servername;
    if (options.ca !== undefined) tlsOptions.ca = options.ca;
    socket = tls.connect(tlsOptions);
  } else {
    socket = net.connect({ host: options.host, port: options.port, onread });
  }
  // Nagle's algorithm would hold small frames (pongs, subscriptions) back for up to 40 ms.
  socket.setNoDelay(options.noDelay);
  return socket;
}
