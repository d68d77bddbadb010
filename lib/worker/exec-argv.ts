// The Node flags our worker threads start with: the host's own (process.execArgv), less those
// that belong to the host's entry point alone. Inherited as they are, a host started as
// `node --input-type=module -e "..."` makes every worker fail ("--input-type can only be used
// with string input via --eval, --print, or STDIN"), and --watch makes it throw.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Flags about the entry point that take no value. */
const ENTRY_FLAGS = new Set(['--test', '--watch', '--check', '-c', '--interactive', '-i']);
/** Flags about the entry point whose value is the next argument (unless written --flag=value). */
const ENTRY_FLAGS_WITH_VALUE = new Set(['--input-type', '--eval', '-e', '--watch-path']);
/** --print takes the next argument as its code only when that does not start with '-' (as Node reads it). */
const PRINT_FLAGS = new Set(['--print', '-p']);

/**
 * `execArgv` less the entry point's flags: --input-type (=VALUE or VALUE), --eval/-e and its
 * code, --print/-p/-pe and its code, --test, --watch and --watch-path, --check/-c and
 * --interactive/-i. Everything else (--import, --require, --conditions, --enable-source-maps,
 * ...) is kept in its order.
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const inline = arg.startsWith('--') && arg.includes('=');
    // Node reads --input_type as --input-type.
    const name = arg.startsWith('--') ? arg.split('=')[0]!.replace(/_/g, '-') : arg;
    if (ENTRY_FLAGS.has(name)) continue;
    if (ENTRY_FLAGS_WITH_VALUE.has(name)) {
      if (!inline) i++;
      continue;
    }
    if (name === '-pe') {
      i++;
      continue;
    }
    if (PRINT_FLAGS.has(name)) {
      if (!inline && i + 1 < execArgv.length && !execArgv[i + 1]!.startsWith('-')) i++;
      continue;
    }
    kept.push(arg);
  }
  return kept;
}

/** The flags ERR_WORKER_INVALID_EXEC_ARGV names ("... invalid execArgv flags: --title=x, --expose-gc"). */
function invalidFlags(err: unknown): string[] {
  if ((err as { code?: unknown } | null)?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return [];
  const listed = /invalid execArgv flags: (.*)$/s.exec((err as Error).message)?.[1];
  return listed ? listed.split(', ') : [];
}

/**
 * A Worker started with workerExecArgv() passed explicitly. V8 and per-process flags
 * (--max-old-space-size, --stack-size, --title, --expose-gc) are the host's alone: a worker
 * inheriting them ignores them, but given explicitly Node refuses them, so those it names are
 * left out and the worker started again (they still apply to the process the worker runs in).
 */
export function startWorker(entry: URL, options: Omit<WorkerOptions, 'execArgv'> = {}): Worker {
  let execArgv = workerExecArgv();
  for (;;) {
    try {
      return new Worker(entry, { ...options, execArgv });
    } catch (err) {
      const named = new Set(invalidFlags(err));
      const fewer = execArgv.filter((arg) => !named.has(arg));
      if (fewer.length === execArgv.length) throw err;
      execArgv = fewer;
    }
  }
}
