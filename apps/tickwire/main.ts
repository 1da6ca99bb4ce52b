#!/usr/bin/env node
// `tickwire tune [--apply]`: prints the socket tunings for market data on this OS (Linux or
// macOS) with the current values; with --apply, as root, writes the ones not yet met.
import { apply, darwinSysctl, inspect, linuxSysctl, tuningsFor } from './tunings.js';

function usage(): never {
  console.error('usage: tickwire tune [--apply]');
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (command !== 'tune') usage();
const wantApply = rest.includes('--apply');
if (rest.some((arg) => arg !== '--apply')) usage();

const tunings = tuningsFor(process.platform);
if (tunings.length === 0) {
  console.log(`no tunings known for ${process.platform}`);
  process.exit(0);
}
const sysctl = process.platform === 'darwin' ? darwinSysctl() : linuxSysctl();
const statuses = inspect(tunings, sysctl);
for (const status of statuses) {
  const mark = status.current === null ? 'n/a' : status.satisfied ? 'ok ' : 'SET';
  console.log(`${mark} ${status.key} = ${status.current ?? '(absent)'}  ->  ${status.value}`);
  console.log(`    ${status.why}`);
}
const pending = statuses.filter((status) => !status.satisfied && status.current !== null);
if (!wantApply) {
  if (pending.length > 0) {
    console.log('\nTo apply as root:');
    for (const status of pending) console.log(`  sysctl -w ${status.key}="${status.value}"`);
    console.log('or: sudo tickwire tune --apply');
  }
  process.exit(0);
}
if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  console.error('tickwire tune --apply must run as root');
  process.exit(1);
}
let failed = 0;
for (const result of apply(statuses, sysctl)) {
  console.log(`${result.applied ? 'applied' : 'FAILED '} ${result.key}${result.error ? `: ${result.error}` : ''}`);
  if (!result.applied) failed++;
}
process.exit(failed === 0 ? 0 : 1);
