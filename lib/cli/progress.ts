// Progress on the terminal: a line rewritten in place on a TTY (step, loss, tokens/s, time
// left), a line every 10% otherwise; the trainer's log messages on their own lines (warnings
// even when quiet).
import type { DownloadProgress } from '../hub/hub-context.js';
import type { RecipeHooks } from '../train/recipes/options.js';
import type { LogRecord, Trainer } from '../train/trainer.js';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Weight of the newest step in the smoothed tokens/s (an exponential moving average). */
const SPEED_SMOOTHING = 0.1;
/** Erases from the cursor to the end of the line: a shorter line leaves nothing of a longer one. */
const CLEAR_TO_END = '\x1b[K';

/**
 * Tokens per second smoothed over steps, so the figure reads steadily while single steps vary
 * (an evaluation or a checkpoint in between, a short last batch). The first step seeds it.
 */
export class SmoothedSpeed {
  #value: number | null = null;
  constructor(readonly weight = SPEED_SMOOTHING) {}

  update(tokensPerSecond: number): number {
    if (!Number.isFinite(tokensPerSecond) || tokensPerSecond < 0) return this.#value ?? 0;
    this.#value = this.#value === null ? tokensPerSecond : this.#value + this.weight * (tokensPerSecond - this.#value);
    return this.#value;
  }
}

export function progressReporter<B>(trainer: Trainer<B>, total: number, { quiet = false, stream = process.stderr }: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): () => void {
  const started = Date.now();
  let firstStep: number | undefined;
  const tty = stream.isTTY === true;
  const every = Math.max(1, Math.floor(total / 10));
  const speed = new SmoothedSpeed();
  const onStep = (r: { step: number; loss: number; tokensPerSecond: number }) => {
    firstStep ??= r.step - 1;
    const done = r.step - firstStep;
    const elapsed = (Date.now() - started) / 1000;
    const left = ((total - r.step) * elapsed) / Math.max(done, 1);
    const width = 24;
    const filled = Math.round((r.step / total) * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${r.step}/${total}  loss ${r.loss.toFixed(4)}  ${Math.round(speed.update(r.tokensPerSecond))} tok/s  ${duration(left)} left`;
    if (tty) stream.write(`\r${line}${CLEAR_TO_END}`);
    else if (r.step % every === 0 || r.step === total) stream.write(`${line}\n`);
  };
  let midLine = false;
  const onLog = (r: LogRecord) => {
    if (quiet && r.level !== 'warn') return;
    stream.write(`${midLine ? '\n' : ''}${r.level === 'warn' ? 'warning: ' : ''}${r.message}\n`);
    midLine = false;
  };
  const onStepShown = (r: Parameters<typeof onStep>[0]) => {
    onStep(r);
    midLine = tty;
  };
  if (!quiet) trainer.on('step', onStepShown);
  trainer.on('log', onLog);
  return () => {
    trainer.off('step', onStepShown);
    trainer.off('log', onLog);
    if (midLine) stream.write('\n');
  };
}

function megabytes(bytes: number): string {
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

/**
 * A hub download on the terminal: per file, a line rewritten in place on a TTY (bytes, rate,
 * time left), one line when the file is done otherwise.
 */
export function downloadReporter({ quiet = false, stream = process.stderr }: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): (p: DownloadProgress) => void {
  const started = new Map<string, number>();
  return (p) => {
    if (quiet) return;
    const key = `${p.id}/${p.file}`;
    if (!started.has(key)) started.set(key, Date.now());
    const seconds = Math.max((Date.now() - started.get(key)!) / 1000, 1e-3);
    const rate = p.bytes / seconds;
    const size = p.total === null ? megabytes(p.bytes) : `${megabytes(p.bytes)} of ${megabytes(p.total)}`;
    const left = p.total === null || rate === 0 ? '' : `  ${duration((p.total - p.bytes) / rate)} left`;
    const line = `downloading ${key}: ${size}  ${megabytes(rate)}/s${p.done ? '' : left}`;
    if (stream.isTTY === true) stream.write(`\r${line}${CLEAR_TO_END}${p.done ? '\n' : ''}`);
    else if (p.done) stream.write(`${line}\n`);
    if (p.done) started.delete(key);
  };
}

/**
 * Hooks that show a recipe's run on the terminal: progress and the trainer's messages on
 * stderr, options named by their flags, and Ctrl-C stopping at the next step boundary after a
 * checkpoint. dispose() once the recipe has returned.
 */
export function terminalHooks({ quiet = false, resumeHint }: { quiet?: boolean; resumeHint?: string } = {}): RecipeHooks & { dispose(): void } {
  const stops: (() => void)[] = [];
  return {
    optionName: (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    onDownload: downloadReporter({ quiet }),
    ...(resumeHint ? { resumeHint } : {}),
    onLog: (r) => {
      if (!quiet || r.level === 'warn') process.stderr.write(`${r.level === 'warn' ? 'warning: ' : ''}${r.message}\n`);
    },
    onTrainer: (trainer) => {
      stops.push(progressReporter(trainer, trainer.options.steps, { quiet }));
      const interrupt = () => trainer.requestStop();
      process.once('SIGINT', interrupt);
      stops.push(() => process.off('SIGINT', interrupt));
    },
    dispose: () => {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
