import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Real child processes: each one configures a rotating file, installs (or not) the exit handlers, logs,
// and ends by process.exit(), an uncaught exception, an unhandled rejection, SIGTERM or a normal exit.
const ROOT = path.resolve(__dirname, '..', '..');
const APP = path.join(ROOT, 'test', 'fixtures', 'exit', 'exit-app.ts');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-exit-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(mode: string, hook: 'hook' | 'none'): { status: number | null; file: string; stderr: string } {
  const file = path.join(dir, 'app.log');
  const r = spawnSync(process.execPath, ['--import', 'tsx', APP, file, mode, hook], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    status: r.status,
    file: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '',
    stderr: r.stderr,
  };
}

describe('installExitHandlers()', () => {
  it('a record logged right before process.exit() is in the file, and the exit code is kept', () => {
    const r = run('exit', 'hook');
    expect(r.status).toBe(3);
    expect(r.file).toMatch(/ - app - INFO - last words before process\.exit\n$/);
  });

  it('without the hook the same record is in the file too: the bundle flushes in its own exit hook (winston #228)', () => {
    const r = run('exit', 'none');
    expect(r.status).toBe(3);
    expect(r.file).toMatch(/ - app - INFO - last words before process\.exit\n$/);
  });

  it('the traceback of an uncaught exception reaches stderr although only a file handler is configured', () => {
    const r = run('throw', 'hook');
    expect(r.stderr).toContain('Uncaught exception: Error: kaboom');
    expect(r.stderr).toMatch(/\n {4}at /);
  });

  it('an uncaught exception is logged at CRITICAL with its traceback and cause, then exit code 1', () => {
    const r = run('throw', 'hook');
    expect(r.status).toBe(1);
    expect(r.file).toContain(' - app - INFO - about to throw\n');
    expect(r.file).toMatch(/ - root - CRITICAL - Uncaught exception\nError: root cause\n {4}at /);
    expect(r.file).toContain(
      'The above exception was the direct cause of the following exception:\n\nError: kaboom\n',
    );
  });

  it('an unhandled rejection is logged at CRITICAL, then exit code 1', () => {
    const r = run('reject', 'hook');
    expect(r.status).toBe(1);
    expect(r.file).toMatch(/ - root - CRITICAL - Unhandled rejection\nError: rejected promise\n/);
  });

  it('a normal exit flushes every record', () => {
    const r = run('normal', 'hook');
    expect(r.status).toBe(0);
    expect(r.file.trimEnd().split('\n')).toHaveLength(1000);
  });

  // The record is usually written before the signal arrives, so this checks the exit path (the hook must
  // not swallow the signal, and what was logged is in the file), not a race against the batch writer.
  it('SIGTERM: the process still ends by the signal, with what it logged in the file', async () => {
    const file = path.join(dir, 'app.log');
    const child = spawn(process.execPath, ['--import', 'tsx', APP, file, 'sigterm', 'hook'], { cwd: ROOT });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
      child.once('exit', () => reject(new Error('exited before ready')));
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, s) => resolve(s)));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(fs.readFileSync(file, 'utf8')).toContain(' - app - INFO - waiting for SIGTERM\n');
  });
});
