// The benchmarks' corpus: documents of sentences of random words (w0, w1, …), one sentence a
// line, blank lines between documents, the same for the same seed. Speed, not language, is
// what they measure.
import { writeFileSync } from 'node:fs';

import { data } from '../lib/index.js';

export function writeSyntheticCorpus(path: string, o: { documents: number; sentences: number; words: number; distinctWords: number; seed: number }): string {
  const r = new data.Random(o.seed);
  const vocabulary = Array.from({ length: o.distinctWords }, (_, i) => `w${i.toString(36)}`);
  const sentence = () => Array.from({ length: o.words }, () => vocabulary[r.int(vocabulary.length)]).join(' ');
  writeFileSync(path, Array.from({ length: o.documents }, () => `${Array.from({ length: o.sentences }, sentence).join('.\n')}.\n`).join('\n'));
  return path;
}
