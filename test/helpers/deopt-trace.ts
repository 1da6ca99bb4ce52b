// Runs a script in a child Node with V8's optimization trace turned on only after the script's
// warm-up (v8.setFlagsFromString: a warm-up may optimize and deoptimize as it likes), and returns
// which of the named functions TurboFan optimized and which TurboFan code was thrown away from then
// on. V8 prints these traces itself, to stdout, in its own format, which from Node 20 to 26 names
// the function as `<JSFunction name ` and the tier as `TURBOFAN` (24+: `TURBOFAN_JS`) after
// "target" or "<Code".
//
// TurboFan only: its compiles cost milliseconds. Maglev, the mid tier of Node 22+, compiles
// concurrently from whatever feedback exists when it starts, so under load a Maglev compile begun
// during a warm-up can lack the feedback of the warm-up's later paths and be thrown away once
// after it; that costs little.
import { spawnSync } from 'node:child_process';

export interface DeoptTrace {
  /** Trace lines that completed a TurboFan optimization of one of the functions. */
  optimized: string[];
  /** Trace lines that threw away TurboFan code of one of the functions (addresses removed). */
  deoptimized: string[];
}

/**
 * `warmUp` and `run` are module source (imports allowed in `warmUp`); tracing starts between them.
 * The functions are named as V8 names them (method names without the class).
 */
export function traceDeopts(warmUp: string, run: string, functions: readonly string[]): DeoptTrace {
  const script = `import { setFlagsFromString } from 'node:v8';\n${warmUp}\nsetFlagsFromString('--trace-opt');\nsetFlagsFromString('--trace-deopt');\n${run}\n`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`traced child exited with ${result.status}: ${result.stderr}`);
  const names = functions.join('|');
  const optimizedLine = new RegExp(`completed (?:optimizing|compiling).*<JSFunction (?:${names}) .*target TURBOFAN`);
  const deoptimizedLine = new RegExp(`deoptimiz.*<JSFunction (?:${names}) .*<Code TURBOFAN`);
  const lines = result.stdout.split('\n');
  return {
    optimized: lines.filter((line) => optimizedLine.test(line)),
    deoptimized: lines.filter((line) => deoptimizedLine.test(line)).map((line) => line.replace(/0x[0-9a-f]+/g, '').slice(0, 240)),
  };
}
