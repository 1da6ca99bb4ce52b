import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { LINUX_TUNINGS, apply, inspect, isSatisfied, linuxSysctl, tuningsFor } from '../../../apps/tickwire/tunings.js';

function fakeProc(values: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tickwire-proc-'));
  for (const [key, value] of Object.entries(values)) {
    const path = join(root, ...key.split('.'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, value + '\n');
  }
  return root;
}

test('at-least values compare field by field and never count a lower value as met', () => {
  const rmem = LINUX_TUNINGS.find((tuning) => tuning.key === 'net.ipv4.tcp_rmem')!;
  assert.equal(isSatisfied(rmem, '4096 131072 6291456'), false);
  assert.equal(isSatisfied(rmem, '4096 131072 8388608'), true);
  assert.equal(isSatisfied(rmem, '8192 262144 16777216'), true);
  assert.equal(isSatisfied(rmem, null), false);
  const idle = LINUX_TUNINGS.find((tuning) => tuning.key === 'net.ipv4.tcp_slow_start_after_idle')!;
  assert.equal(isSatisfied(idle, '1'), false);
  assert.equal(isSatisfied(idle, '0'), true);
});

test('inspect reads current values and apply writes only unmet, existing keys', () => {
  const root = fakeProc({
    'net.core.rmem_max': '212992',
    'net.core.wmem_max': '16777216', // already above: must not be lowered
    'net.ipv4.tcp_rmem': '4096\t131072\t6291456',
  });
  try {
    const sysctl = linuxSysctl(root);
    const statuses = inspect(LINUX_TUNINGS, sysctl);
    const byKey = new Map(statuses.map((status) => [status.key, status]));
    assert.equal(byKey.get('net.core.rmem_max')!.current, '212992');
    assert.equal(byKey.get('net.ipv4.tcp_rmem')!.current, '4096 131072 6291456');
    assert.equal(byKey.get('net.core.busy_read')!.current, null);
    const results = apply(statuses, sysctl);
    assert.deepEqual(results.map((result) => result.key).sort(), ['net.core.rmem_max', 'net.ipv4.tcp_rmem']);
    assert.ok(results.every((result) => result.applied));
    assert.equal(readFileSync(join(root, 'net', 'core', 'rmem_max'), 'utf8').trim(), String(8 * 1024 * 1024));
    assert.equal(readFileSync(join(root, 'net', 'core', 'wmem_max'), 'utf8').trim(), '16777216');
    assert.ok(inspect(LINUX_TUNINGS, sysctl).filter((status) => status.current !== null).every((status) => status.satisfied));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('tunings exist for Linux and macOS only', () => {
  assert.ok(tuningsFor('linux').length > 0);
  assert.ok(tuningsFor('darwin').some((tuning) => tuning.key === 'net.inet.tcp.delayed_ack'));
  assert.equal(tuningsFor('win32').length, 0);
});
