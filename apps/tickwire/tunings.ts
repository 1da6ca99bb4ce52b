// Socket and kernel tunings for receiving market data, after the original design's
// sysctl_tune_network(). The design's values are hypotheses: each entry says why it helps,
// and `tickwire tune` only prints them unless asked to apply them as root.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Tuning {
  /** sysctl name, e.g. net.core.rmem_max */
  key: string;
  /** Recommended value, as sysctl prints it. */
  value: string;
  /** Apply only if the current value is numerically below the recommendation (never lower a limit). */
  atLeast: boolean;
  why: string;
}

const EIGHT_MIB = String(8 * 1024 * 1024);

export const LINUX_TUNINGS: readonly Tuning[] = [
  { key: 'net.core.rmem_max', value: EIGHT_MIB, atLeast: true, why: 'lets a socket ask for an 8 MiB receive buffer (a burst fits in the kernel instead of stalling the sender)' },
  { key: 'net.core.wmem_max', value: EIGHT_MIB, atLeast: true, why: 'the same ceiling for send buffers (order entry on the same host)' },
  { key: 'net.ipv4.tcp_rmem', value: `4096 131072 ${EIGHT_MIB}`, atLeast: true, why: 'TCP receive autotuning may grow to 8 MiB (the original design matched its ring size)' },
  { key: 'net.core.netdev_max_backlog', value: '5000', atLeast: true, why: 'more packets queued per CPU before the kernel drops them during a burst' },
  { key: 'net.core.busy_read', value: '50', atLeast: true, why: 'busy-poll the NIC for 50 us on blocking reads: lower wake-up latency at the cost of CPU' },
  { key: 'net.core.busy_poll', value: '50', atLeast: true, why: 'busy-poll for 50 us in poll/epoll: lower latency for an event loop such as libuv' },
  { key: 'net.ipv4.tcp_slow_start_after_idle', value: '0', atLeast: false, why: 'a quiet market must not shrink the congestion window before the next burst' },
];

export const DARWIN_TUNINGS: readonly Tuning[] = [
  { key: 'kern.ipc.maxsockbuf', value: String(16 * 1024 * 1024), atLeast: true, why: 'raises the socket buffer ceiling so an 8 MiB receive buffer is allowed' },
  { key: 'net.inet.tcp.recvspace', value: EIGHT_MIB, atLeast: true, why: 'default TCP receive buffer of 8 MiB (the original design matched its ring size)' },
  { key: 'net.inet.tcp.delayed_ack', value: '0', atLeast: false, why: 'ACK at once: the exchange side sees a smaller RTT; costs a few more packets' },
];

export interface TuningStatus extends Tuning {
  /** Current value, or null when the key does not exist on this kernel. */
  current: string | null;
  /** True when the current value already satisfies the recommendation. */
  satisfied: boolean;
}

export interface SysctlAccess {
  read(key: string): string | null;
  write(key: string, value: string): void;
}

/** Linux: /proc/sys (procRoot is replaceable so tests never touch the real kernel). */
export function linuxSysctl(procRoot = '/proc/sys'): SysctlAccess {
  const pathOf = (key: string): string => join(procRoot, ...key.split('.'));
  return {
    read(key) {
      try {
        return readFileSync(pathOf(key), 'utf8').trim().replace(/\s+/g, ' ');
      } catch {
        return null;
      }
    },
    write(key, value) {
      writeFileSync(pathOf(key), value + '\n');
    },
  };
}

/** macOS: the sysctl command. */
export function darwinSysctl(): SysctlAccess {
  return {
    read(key) {
      try {
        return execFileSync('sysctl', ['-n', key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        return null;
      }
    },
    write(key, value) {
      execFileSync('sysctl', ['-w', `${key}=${value}`], { stdio: 'ignore' });
    },
  };
}

export function tuningsFor(platform: NodeJS.Platform): readonly Tuning[] {
  if (platform === 'linux') return LINUX_TUNINGS;
  if (platform === 'darwin') return DARWIN_TUNINGS;
  return [];
}

/** Whether `current` meets `tuning`: numerically field by field for at-least values, else equal. */
export function isSatisfied(tuning: Tuning, current: string | null): boolean {
  if (current === null) return false;
  if (!tuning.atLeast) return current === tuning.value;
  const have = current.split(' ').map(Number);
  const want = tuning.value.split(' ').map(Number);
  return want.every((value, index) => (have[index] ?? -Infinity) >= value);
}

export function inspect(tunings: readonly Tuning[], sysctl: SysctlAccess): TuningStatus[] {
  return tunings.map((tuning) => {
    const current = sysctl.read(tuning.key);
    return { ...tuning, current, satisfied: isSatisfied(tuning, current) };
  });
}

export interface ApplyResult {
  key: string;
  applied: boolean;
  error?: string;
}

/** Writes every unsatisfied tuning that exists on this kernel; never lowers an at-least limit. */
export function apply(statuses: readonly TuningStatus[], sysctl: SysctlAccess): ApplyResult[] {
  return statuses
    .filter((status) => !status.satisfied && status.current !== null)
    .map((status) => {
      try {
        sysctl.write(status.key, status.value);
        return { key: status.key, applied: true };
      } catch (error) {
        return { key: status.key, applied: false, error: (error as Error).message };
      }
    });
}
