// Trains the tiny BERT on the demo corpus in a worker thread (train.start) while the window
// stays responsive; progress and losses reach the page over IPC.
import { app, BrowserWindow, ipcMain } from 'electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, train } from 'plm-torch';

const here = dirname(fileURLToPath(import.meta.url));
const corpora = join(dirname(fileURLToPath(import.meta.resolve('plm-torch/package.json'))), 'data');
let run = null;

async function startRun(window) {
  const out = mkdtempSync(join(tmpdir(), 'plm-torch-electron-'));
  const corpus = [join(corpora, 'general/webster-1913.txt.gz')];
  window.webContents.send('log', 'training a WordPiece tokenizer…');
  (await data.trainTokenizer(corpus, { vocabSize: 4000 })).tokenizer.save(join(out, 'tokenizer'));
  run = train.start({ command: 'pretrain', corpus, tokenizer: join(out, 'tokenizer'), out: join(out, 'model'), model: 'tiny', steps: 300, batchSize: 32, seqLen: 64, lr: 2e-3, warmup: 30 });
  run.on('progress', (r) => window.webContents.send('progress', { step: r.step, total: r.total, loss: r.loss, tokensPerSecond: r.tokensPerSecond }));
  run.on('log', (r) => window.webContents.send('log', r.message));
  run.done
    .then((result) => window.webContents.send('done', result))
    .catch((err) => window.webContents.send('log', `failed: ${err.message}`))
    .finally(() => (run = null));
}

app.whenReady().then(() => {
  const window = new BrowserWindow({ width: 720, height: 520, webPreferences: { preload: join(here, 'preload.cjs') } });
  ipcMain.handle('start', () => (run ? false : (startRun(window), true)));
  ipcMain.handle('cancel', () => run?.cancel());
  window.loadFile(join(here, 'index.html'));
});
app.on('window-all-closed', () => app.quit());
