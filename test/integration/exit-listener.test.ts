import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Real child processes whose own process.on('exit') listener logs after the bundle's exit hook has run
// (the bundle's hook is installed first, by configureLogging). CPython writes such a record: logging's
// atexit hook runs after the app's atexit functions. Expected lines come from the fixture's call order.
const ROOT = path.resolve(__dirname, '..', '..');
const APP = path.join(ROOT, 'test', 'fixtures', 'exit', 'exit-listener-app.ts');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-exit-listener-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the fixture; returns its exit status, stderr and the log lines (every file of the layout, by name). */
function run(mode: string, layout: string): { status: number | null; lines: string[]; stderr: string } {
  const file = path.join(dir, 'app.log');
  const r = spawnSync(process.execPath, ['--import', 'tsx', APP, file, mode, layout], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const text = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('app.log') && !f.startsWith('.'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('');
  return { status: r.status, lines: text.split('\n').filter((l) => l !== ''), stderr: r.stderr };
}

const tail = (code: number): string[] => [
  `exiting with code ${code}`,
  'after exit 0',
  'after exit 1',
  'after exit 2',
];

describe("records logged in the app's own process.on('exit') listener", () => {
  it.each(['rotating', 'timed', 'dated'])(
    'natural end (%s): every record is in the file, in call order',
    (layout) => {
      const r = run('natural', layout);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.lines.map((l) => l.replace(/^.* - app - \w+ - /, ''))).toEqual(['normal line', ...tail(0)]);
      expect(r.lines[1]).toMatch(/ - app - WARNING - exiting with code 0$/);
    },
  );

  it('process.exit(0): the listener’s records are written after the bundle’s exit flush', () => {
    const r = run('exit', 'rotating');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines.map((l) => l.replace(/^.* - app - \w+ - /, ''))).toEqual(['normal line', ...tail(0)]);
  });

  it('an uncaught exception whose handler logs and exits: its record and the exit listener’s are written', () => {
    const r = run('throw', 'rotating');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.lines.map((l) => l.replace(/^.* - app - \w+ - /, ''))).toEqual([
      'normal line',
      'uncaught: kaboom',
      ...tail(1),
    ]);
  });
});
