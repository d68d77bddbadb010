import t from 'tap';
import { EventEmitter } from 'node:events';

import { progressReporter, SmoothedSpeed } from '../../lib/cli/progress.js';
import type { Trainer } from '../../lib/train/trainer.js';

/** A stream that records what is written, a TTY or not. */
function recorder(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

/** What a terminal shows after `text`: \r returns to the line's start, ESC[K erases to its end. */
function screen(text: string): string[] {
  const lines: string[] = [''];
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const row = lines.length - 1;
    if (c === '\n') { lines.push(''); col = 0; }
    else if (c === '\r') col = 0;
    else if (text.startsWith('\x1b[K', i)) { lines[row] = lines[row]!.slice(0, col); i += 2; }
    else { const line = lines[row]!; lines[row] = line.slice(0, col) + c + line.slice(col + 1); col++; }
  }
  return lines;
}

t.test('the TTY line is cleared to its end on every redraw: a shorter line leaves nothing behind', async (t) => {
  const trainer = new EventEmitter();
  const { stream, text } = recorder(true);
  const stop = progressReporter(trainer as unknown as Trainer<unknown>, 100, { stream });
  trainer.emit('step', { step: 1, loss: 12.3456789, tokensPerSecond: 123456 });
  trainer.emit('step', { step: 2, loss: 1, tokensPerSecond: 123456 });
  stop();
  const shown = screen(text());
  t.equal(shown.length, 2, 'one line, ended by stop()');
  t.match(shown[0], /step 2\/100  loss 1\.0000  123456 tok\/s  \S+ left$/, 'ends with "left", nothing of the longer line after it');
  t.ok(text().includes('\x1b[K'));
});

t.test('tok/s is an exponential moving average seeded by the first step', async (t) => {
  const s = new SmoothedSpeed(0.1);
  t.equal(s.update(1000), 1000);
  t.equal(s.update(2000), 1100); // 1000 + 0.1 × (2000 − 1000)
  t.equal(s.update(NaN), 1100, 'a step without a speed leaves it');
  t.equal(Math.round(s.update(100)), 1000); // 1100 + 0.1 × (100 − 1100)
  const trainer = new EventEmitter();
  const { stream, text } = recorder(true);
  const stop = progressReporter(trainer as unknown as Trainer<unknown>, 10, { stream });
  for (const [step, speed] of [[1, 1000], [2, 50], [3, 2000]] as const) trainer.emit('step', { step, loss: 1, tokensPerSecond: speed });
  stop();
  // 1000, then 1000 + 0.1 × (50 − 1000) = 905, then 905 + 0.1 × (2000 − 905) = 1014.5
  t.match(screen(text())[0], / 1015 tok\/s /);
});

t.test('a log message mid-line starts its own line; off a TTY a line every 10%', async (t) => {
  const trainer = new EventEmitter();
  const tty = recorder(true);
  const stop = progressReporter(trainer as unknown as Trainer<unknown>, 10, { stream: tty.stream });
  trainer.emit('step', { step: 1, loss: 1, tokensPerSecond: 10 });
  trainer.emit('log', { level: 'info', message: 'evaluated' });
  stop();
  t.equal(screen(tty.text())[1], 'evaluated');
  const plain = recorder(false);
  const trainer2 = new EventEmitter();
  const stop2 = progressReporter(trainer2 as unknown as Trainer<unknown>, 20, { stream: plain.stream });
  for (let step = 1; step <= 20; step++) trainer2.emit('step', { step, loss: 1, tokensPerSecond: 10 });
  stop2();
  t.equal(plain.text().split('\n').filter(Boolean).length, 10);
  t.notOk(plain.text().includes('\x1b'), 'no escape codes in a log file');
});
