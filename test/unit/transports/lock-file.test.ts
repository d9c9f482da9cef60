import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockFile } from '../../../transports/shared/lock-file';

let tmp: string;
let lockPath: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-unit-'));
  lockPath = path.join(tmp, 'app.log.lock');
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function age(file: string, ms: number): void {
  const t = (Date.now() - ms) / 1000;
  fs.lutimesSync(file, t, t);
}

describe('LockFile', () => {
  it('takes a free lock, writes pid@host@starttime, releases it', () => {
    const lock = new LockFile({ path: lockPath });
    expect(lock.tryAcquire()).toBe(true);
    expect(fs.readFileSync(lockPath, 'utf8')).toMatch(new RegExp(`^${process.pid}@${hostname()}@\\d+$`));
    lock.release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('returns false at once while a live process holds the lock, and leaves the lock alone', () => {
    const holder = new LockFile({ path: lockPath });
    expect(holder.tryAcquire()).toBe(true);
    const other = new LockFile({ path: lockPath });
    const reasons: string[] = [];
    expect(other.tryAcquire((r) => reasons.push(r))).toBe(false);
    expect(reasons).toEqual([]);
    expect(holder.isHeld).toBe(true);
    holder.release();
    expect(other.tryAcquire()).toBe(true);
    other.release();
  });

  it('a fresh lock of another host is respected; one older than staleMs is taken over with the reason', () => {
    fs.writeFileSync(lockPath, '4242@some-other-host@1');
    const lock = new LockFile({ path: lockPath, staleMs: 5000 });
    expect(lock.tryAcquire()).toBe(false);
    age(lockPath, 6000);
    const reasons: string[] = [];
    expect(lock.tryAcquire((r) => reasons.push(r))).toBe(true);
    expect(reasons).toEqual([expect.stringMatching(/held for \d+ ms, more than lockStaleMs \(5000 ms\)/)]);
    lock.release();
  });

  it('an empty lock file younger than 1 s is respected (its writer may be between create and write)', () => {
    fs.writeFileSync(lockPath, '');
    const lock = new LockFile({ path: lockPath });
    expect(lock.tryAcquire()).toBe(false);
    age(lockPath, 2000);
    expect(lock.tryAcquire()).toBe(true);
    lock.release();
  });

  it('a symlink at the lock name is removed without writing through it', () => {
    const victim = path.join(tmp, 'victim');
    fs.writeFileSync(victim, 'victim\n');
    fs.symlinkSync(victim, lockPath);
    const lock = new LockFile({ path: lockPath });
    const reasons: string[] = [];
    expect(lock.tryAcquire((r) => reasons.push(r))).toBe(true);
    expect(reasons).toEqual(['the lock file was a symbolic link (never made by a writer)']);
    expect(fs.lstatSync(lockPath).isFile()).toBe(true);
    lock.release();
    expect(fs.readFileSync(victim, 'utf8')).toBe('victim\n');
  });

  it('creates a missing directory', () => {
    const deep = path.join(tmp, 'a', 'b', 'app.log.lock');
    const lock = new LockFile({ path: deep });
    expect(lock.tryAcquire()).toBe(true);
    lock.release();
  });
});
