import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Appends one JSON object a line (OUT/metrics.jsonl), so a run can be followed or plotted live. */
export class MetricsLog {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify({ ...record, time: new Date().toISOString() })}\n`);
  }
}
