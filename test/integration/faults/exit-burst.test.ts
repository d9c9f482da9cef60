import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Python registers logging.shutdown with atexit: sys.exit() right after a burst leaves every record in
// the file. Here too, with no opt-in at all: a real child logs 10,000 records through a
// RotatingFileTransport (via configureLogging, and on a plain winston logger) and ends at once by
// process.exit() or an uncaught exception.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP = path.join(ROOT, 'test', 'fixtures', 'faults', 'burst-exit.ts');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-burst-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(['configure', 'plain'])('10,000 records then an abrupt end, no opt-in (%s logger)', (via) => {
  it.each([
    ['process.exit()', 'exit', 0],
    ['an uncaught exception', 'throw', 1],
  ])('%s: all 10,000 are in the file, in order', (_what, end, status) => {
    const file = path.join(dir, 'app.log');
    const r = spawnSync(process.execPath, ['--import', 'tsx', APP, file, via, end], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(status);
    if (end === 'throw') expect(r.stderr).toContain('Error: crash right after the burst');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(10_000);
    lines.forEach((line, i) => {
      if (!line.endsWith(`record ${i}`)) throw new Error(`line ${i} is ${JSON.stringify(line)}`);
    });
  });
});
