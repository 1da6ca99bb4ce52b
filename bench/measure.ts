// What a benchmark client measures about itself over a window of messages: wall time, CPU time,
// bytes allocated on the V8 heap and garbage collections. Start and stop are the only clock reads
// (reading the clock allocates a BigInt on Node 20, so the per-message path never does).
//
// Allocation method: V8 has no cumulative "bytes allocated" counter in Node 20
// (v8.getHeapStatistics() has none), so the window runs a v8.GCProfiler, which records the heap
// statistics right before and right after every GC in C++ without running JS in the window.
// Bytes allocated = sum over GCs of (used before this GC - used after the previous one, or at
// start) + (used at stop - used after the last GC). The GC count comes from the same records:
// they are the events PerformanceObserver reports as 'gc' entries. Not counted: ArrayBuffer
// backing stores outside the heap (a Buffer's bytes); the Buffer objects themselves are counted.
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { nowNs } from './wire.js';

export interface WindowResult {
  messages: number;
  wallNs: number;
  cpuMicros: number;
  heapBytes: number;
  gcCount: number;
  scavenges: number;
  /** Mark-sweep/compact and minor mark-compact collections (everything that is not a scavenge). */
  otherGcs: number;
  gcPauseMicros: number;
}

interface GcRecord {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

export class MeasureWindow {
  private profiler: GCProfiler | null = null;
  private startMessages = 0;
  private startNs = 0;
  private startCpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  private startUsed = 0;
  started = false;

  start(messages: number): void {
    this.started = true;
    this.startMessages = messages;
    this.profiler = new GCProfiler();
    this.profiler.start();
    this.startUsed = getHeapStatistics().used_heap_size;
    this.startCpu = process.cpuUsage();
    this.startNs = nowNs();
  }

  stop(messages: number): WindowResult {
    const wallNs = nowNs() - this.startNs;
    const cpu = process.cpuUsage(this.startCpu);
    const endUsed = getHeapStatistics().used_heap_size;
    const profile = this.profiler?.stop() as { statistics: GcRecord[] } | undefined;
    const records = profile?.statistics ?? [];
    let heapBytes = 0;
    let previousAfter = this.startUsed;
    let scavenges = 0;
    let pause = 0;
    for (const record of records) {
      heapBytes += Math.max(0, record.beforeGC.heapStatistics.usedHeapSize - previousAfter);
      previousAfter = record.afterGC.heapStatistics.usedHeapSize;
      if (record.gcType === 'Scavenge') scavenges++;
      pause += record.cost;
    }
    heapBytes += Math.max(0, endUsed - previousAfter);
    return {
      messages: messages - this.startMessages,
      wallNs,
      cpuMicros: cpu.user + cpu.system,
      heapBytes,
      gcCount: records.length,
      scavenges,
      otherGcs: records.length - scavenges,
      gcPauseMicros: pause,
    };
  }
}
