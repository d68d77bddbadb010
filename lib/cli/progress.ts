// Progress on the terminal: a line rewritten in place on a TTY (step, loss, tokens/s, time
// left), a line every 10% otherwise.
import type { Trainer } from '../train/trainer.js';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function progressReporter<B>(trainer: Trainer<B>, total: number, stream: NodeJS.WriteStream = process.stderr): () => void {
  const started = Date.now();
  let firstStep: number | undefined;
  const tty = stream.isTTY === true;
  const every = Math.max(1, Math.floor(total / 10));
  const onStep = (r: { step: number; loss: number; tokensPerSecond: number }) => {
    firstStep ??= r.step - 1;
    const done = r.step - firstStep;
    const elapsed = (Date.now() - started) / 1000;
    const left = ((total - r.step) * elapsed) / Math.max(done, 1);
    const width = 24;
    const filled = Math.round((r.step / total) * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${r.step}/${total}  loss ${r.loss.toFixed(4)}  ${Math.round(r.tokensPerSecond)} tok/s  ${duration(left)} left`;
    if (tty) stream.write(`\r${line}`);
    else if (r.step % every === 0 || r.step === total) stream.write(`${line}\n`);
  };
  trainer.on('step', onStep);
  return () => {
    trainer.off('step', onStep);
    if (tty) stream.write('\n');
  };
}
