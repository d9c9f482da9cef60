import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTsxChild, type ChildResult } from '../helpers/run-tsx-child';
import { checkWorkerLines } from '../helpers/worker-lines';

// 4 real processes x 50,000 records into one RotatingFileTransport filename with multiprocess: true.

const WORKERS = 4;
const PER_WORKER = 50_000;
const MAX_BYTES = 1024 * 1024;
const BACKUPS = 1000; // keeps everything
const script = path.join(__dirname, '../fixtures/rotation/mp-writer.ts');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rot-mp-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(id: number, filename: string): Promise<ChildResult> {
  return runTsxChild(script, [filename, String(id), String(PER_WORKER), String(MAX_BYTES), String(BACKUPS)]);
}

it('4 processes x 50,000 records: every line once, none torn, every file under maxBytes, one rollover per threshold', async () => {
  const filename = path.join(tmp, 'app.log');
  const results = await Promise.all(Array.from({ length: WORKERS }, (_, id) => run(id, filename)));
  for (const r of results) {
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ warnings: [] });
  }

  const names = fs.readdirSync(tmp);
  expect(names).not.toContain('app.log.lock');
  const backups = names
    .filter((n) => /^app\.log\.\d+$/.test(n))
    .map((n) => Number(n.slice('app.log.'.length)))
    .sort((a, b) => b - a);
  // .N (oldest) ... .1, then the live file; no gap in the numbering.
  expect(backups).toEqual(Array.from({ length: backups.length }, (_, k) => backups.length - k));
  expect(backups.length).toBeGreaterThan(10);
  const order = backups.map((k) => `${filename}.${k}`).concat(filename);

  const texts = order.map((f) => fs.readFileSync(f, 'utf8'));
  // Each process's records stay in its own order across files.
  const { bad, outOfOrder, seen } = checkWorkerLines(texts, WORKERS, PER_WORKER);
  texts.forEach((text, k) => {
    const size = Buffer.byteLength(text);
    expect(size).toBeLessThan(MAX_BYTES);
    expect(text.endsWith('\n')).toBe(true);
    // One rollover per threshold: a file was rolled only when the next record would have reached maxBytes.
    const next = texts[k + 1];
    if (next !== undefined) {
      expect(size + Buffer.byteLength(next.slice(0, next.indexOf('\n') + 1))).toBeGreaterThanOrEqual(
        MAX_BYTES,
      );
    }
  });
  expect(bad).toEqual([]);
  expect(outOfOrder).toEqual([]);
  for (const counts of seen) expect(counts.every((c) => c === 1)).toBe(true);
}, 120_000);
