// Labelled records for fine-tuning and evaluation: JSONL lines {"text", "text_pair"?, "label"}.
import { existsSync, readFileSync } from 'node:fs';

import { labelProblem, type ClassificationRecord } from './classification-collator.js';

/** JSONL records with a text and a label; a bad line is an error naming its number. */
export function readRecords(path: string): ClassificationRecord[] {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  const records: ClassificationRecord[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: { text?: unknown; text_pair?: unknown; label?: unknown };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
    if (typeof value.text !== 'string') throw new Error(`${path}:${i + 1}: "text" must be a string`);
    const problem = labelProblem(value.label);
    if (problem) throw new Error(`${path}:${i + 1}: ${problem}`);
    if (value.text_pair !== undefined && typeof value.text_pair !== 'string') throw new Error(`${path}:${i + 1}: "text_pair" must be a string`);
    records.push({ text: value.text, label: value.label as string | number, ...(value.text_pair === undefined ? {} : { textPair: value.text_pair }) });
  });
  if (records.length === 0) throw new Error(`${path} holds no records`);
  return records;
}
