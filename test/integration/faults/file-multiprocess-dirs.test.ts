import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { audit, linesIn, runFixture, waitFor } from './file-fault-helpers';

// Two real processes share one file with multiprocess: true. The log directory does not exist when they
// start (they must create it), and is deleted between two phases (they must re-create it). Every record
// logged while the directory exists must be in the files once, whole.

const PER_PHASE = 1500;
const script = path.join(__dirname, '../../fixtures/faults/mp-phases.ts');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-mpdir-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const expectedOf = (phase: string): string[] =>
  [0, 1].flatMap((w) => Array.from({ length: PER_PHASE }, (_, i) => `w${w} ${phase} ${i}`));

it('a missing log directory is created, a deleted one re-created: 0 lost, 0 duplicated, 0 torn', async () => {
  const dir = path.join(tmp, 'missing', 'logs');
  const filename = path.join(dir, 'app.log');
  let ready = 0;
  const workers = [0, 1].map((id) =>
    runFixture(script, [filename, String(id), String(PER_PHASE)], (chunk) => {
      if (chunk.includes('a-done')) ready++;
    }),
  );
  try {
    await waitFor(() => ready === 2, 30_000, 'both workers to finish phase a');
    expect(audit(linesIn(dir, 'app.log'), expectedOf('a'))).toEqual({
      lost: 0,
      duplicated: 0,
      torn: 0,
      total: 2 * PER_PHASE,
    });
    fs.rmSync(path.join(tmp, 'missing'), { recursive: true });
    for (const w of workers) w.child.stdin!.write('go\n');
    const results = await Promise.all(workers.map((w) => w.done));
    for (const r of results) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.out.split('\n')[1]!) as { warnings: string[]; stats: object };
      expect(report.stats).toEqual({
        received: 2 * PER_PHASE,
        written: 2 * PER_PHASE,
        pending: 0,
        dropped: 0,
      });
      // In multiprocess mode a file moved away is the normal case, and the directory is re-created silently.
      expect(report.warnings).toEqual([]);
    }
    expect(audit(linesIn(dir, 'app.log'), expectedOf('b'))).toEqual({
      lost: 0,
      duplicated: 0,
      torn: 0,
      total: 2 * PER_PHASE,
    });
    expect(fs.readdirSync(dir).filter((n) => n.includes('.lock'))).toEqual([]);
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
  }
}, 60_000);
