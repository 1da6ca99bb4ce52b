// Process plumbing for the end-to-end runs: one long-lived sender process, and one fresh child
// process per client run. A run is one connection; the sender and the client both report over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientKind, ClientResult, ClientSpec } from './client.js';
import type { SenderReady, SenderReport } from './sender.js';

const senderEntry = fileURLToPath(new URL('./sender.js', import.meta.url));
const clientEntry = fileURLToPath(new URL('./client.js', import.meta.url));
export const caFile = fileURLToPath(new URL('../../fixtures/tls/ca.pem', import.meta.url));

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

export interface RunOutcome {
  client: ClientResult;
  sender: SenderReport | undefined;
}

export class Sender {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (report: SenderReport) => void>();
  private readonly early = new Map<string, SenderReport>();
  port = 0;
  tlsPort = 0;

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (message: SenderReport | SenderReady) => {
      if (message.type !== 'done') return;
      const resolve = this.waiting.get(message.run);
      if (resolve !== undefined) {
        this.waiting.delete(message.run);
        resolve(message);
      } else {
        this.early.set(message.run, message);
      }
    });
  }

  static start(): Promise<Sender> {
    const child = fork(senderEntry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    const sender = new Sender(child);
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`sender exited (${code}) before it was ready`)));
      child.on('message', (message: SenderReport | SenderReady) => {
        if (message.type !== 'ready') return;
        sender.port = message.port;
        sender.tlsPort = message.tlsPort;
        resolve(sender);
      });
    });
  }

  /** The sender's report for a run, or undefined if it does not come within `timeoutMs`. */
  report(run: string, timeoutMs: number): Promise<SenderReport | undefined> {
    const early = this.early.get(run);
    if (early !== undefined) {
      this.early.delete(run);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(run);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(run, (report) => {
        clearTimeout(timer);
        resolve(report);
      });
    });
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.disconnect();
  }
}

let runCounter = 0;

export interface RunRequest {
  client: ClientKind;
  mode: ClientSpec['mode'];
  tls: boolean;
  /** 'blast' or a paced rate in msg/s. */
  rate: 'blast' | number;
  expected: number;
  warmup: number;
  timeoutMs: number;
}

export async function runClient(sender: Sender, request: RunRequest): Promise<RunOutcome> {
  const run = `r${++runCounter}`;
  const path = request.rate === 'blast' ? `/blast/${request.expected}/${run}` : `/paced/${request.rate}/${request.expected}/${run}`;
  const spec: ClientSpec = {
    client: request.client,
    mode: request.mode,
    tls: request.tls,
    host: '127.0.0.1',
    port: request.tls ? sender.tlsPort : sender.port,
    path,
    expected: request.expected,
    warmup: request.warmup,
    caFile,
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (request.client === 'ws') {
    env['WS_NO_BUFFER_UTIL'] = '1';
    env['WS_NO_UTF_8_VALIDATE'] = '1';
  } else {
    delete env['WS_NO_BUFFER_UTIL'];
    delete env['WS_NO_UTF_8_VALIDATE'];
  }
  const execArgv: string[] = [];
  if (request.client === 'node-websocket') {
    if (NODE_MAJOR < 22) execArgv.push('--experimental-websocket', '--no-warnings');
    // undici takes no per-connection CA: trust the test CA process-wide for this child only.
    env['NODE_EXTRA_CA_CERTS'] = caFile;
  }
  const child = fork(clientEntry, [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, env });
  const client = await new Promise<ClientResult>((resolve) => {
    let result: ClientResult | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, error: `timed out after ${request.timeoutMs} ms`, messages: -1 });
    }, request.timeoutMs);
    child.on('message', (message: ClientResult) => {
      result = message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(result ?? { ok: false, error: `client exited (${code ?? signal}) without a result`, messages: -1 });
    });
  });
  // A skipped client never connected, so there is no sender report to wait for.
  const senderReport = client.skipped !== undefined ? undefined : await sender.report(run, client.ok ? 5000 : 500);
  return { client, sender: senderReport };
}
