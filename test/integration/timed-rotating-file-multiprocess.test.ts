import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTsxChild, type ChildResult } from '../helpers/run-tsx-child';
import { checkWorkerLines } from '../helpers/worker-lines';

// 3 real processes x 1,000 records over ~2.5 s into one TimedRotatingFileTransport filename with
// when: 'S' and multiprocess: true: several rollover times are crossed while all three write.

const WORKERS = 3;
const PER_WORKER = 1000;
const DURATION_MS = 2500;
const script = path.join(__dirname, '../fixtures/rotation/timed-mp-writer.ts');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'timed-mp-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(id: number, filename: string): Promise<ChildResult> {
  return runTsxChild(script, [filename, String(id), String(PER_WORKER), String(DURATION_MS)]);
}

it('3 processes, when: S, multiprocess: every line once, none torn, each process in order across backups', async () => {
  const filename = path.join(tmp, 'app.log');
  const results = await Promise.all(Array.from({ length: WORKERS }, (_, id) => run(id, filename)));
  for (const r of results) {
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ warnings: [] });
  }
  const names = fs.readdirSync(tmp);
  expect(names).not.toContain('app.log.lock');
  // Backups are named after their interval's start (CPython's suffix), so name order is time order.
  const backups = names.filter((n) => /^app\.log\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/.test(n)).sort();
  expect(backups.length).toBeGreaterThanOrEqual(1);
  expect(names.sort()).toEqual([...backups, 'app.log'].sort());

  const texts = [...backups, 'app.log'].map((f) => fs.readFileSync(path.join(tmp, f), 'utf8'));
  const { bad, outOfOrder, seen } = checkWorkerLines(texts, WORKERS, PER_WORKER);
  expect(bad).toEqual([]);
  expect(outOfOrder).toEqual([]);
  const counts = seen.map((s) => [s.filter((c) => c === 0).length, s.filter((c) => c > 1).length]);
  expect(counts).toEqual(Array.from({ length: WORKERS }, () => [0, 0])); // [lost, duplicated] per process
}, 60_000);
