import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MESSAGE } from 'triple-beam';
import { ConfigError } from '../../../src/errors';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import { DEFAULT_BUFFER_SIZE } from '../../../transports/shared/file-options';
import { TimedRotatingFileTransport } from '../../../transports/timed-rotating-file';
import { LockFile } from '../../../transports/shared/lock-file';
import { liveTransports } from '../../../transports/shared/transport-registry';
import winston from 'winston';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rot-unit-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const rec = (message: string) => ({ level: 'info', message, [MESSAGE]: message });

describe('RotatingFileTransport options', () => {
  it.each([
    [{ filename: '' }, 'filename'],
    [{ maxBytes: -1 }, 'maxBytes'],
    [{ maxBytes: 1.5 }, 'maxBytes'],
    [{ backupCount: '3' }, 'backupCount'],
    [{ encoding: 'cp949' }, 'encoding'],
    [{ mode: 'x' }, 'mode'],
    [{ fileMode: 0o10000 }, 'fileMode'],
    [{ gzip: true, rotator: () => undefined }, 'gzip'],
    [{ multiprocess: true, mode: 'w' }, 'mode'],
    [{ bufferSize: 0 }, 'bufferSize'],
    [{ maxQueuedRecords: 0 }, 'maxQueuedRecords'],
    [{ lockStaleMs: 0.5 }, 'lockStaleMs'],
  ])('rejects %j with a ConfigError naming %s, the value and what is allowed', (bad, key) => {
    const make = () => new RotatingFileTransport({ filename: path.join(tmp, 'a.log'), ...(bad as object) });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(`option "${key}"`);
  });

  describe.each([
    ['RotatingFileTransport', (o: object) => new RotatingFileTransport(o as never)],
    ['TimedRotatingFileTransport', (o: object) => new TimedRotatingFileTransport(o as never)],
  ])('%s: unknown options', (name, make) => {
    it.each([
      ['maxbytes', 10, name === 'RotatingFileTransport' ? 'maxBytes' : undefined],
      ['backupcount', 3, 'backupCount'],
      ['MULTIPROCESS', true, 'multiprocess'],
      ['zzz', 1, undefined],
      ['maxsize', 1024, undefined],
    ])('rejects %s: %j naming the key, the value and the allowed keys (suggests %s)', (key, value, hint) => {
      const filename = path.join(tmp, 'a.log');
      const live = liveTransports().length;
      let problems: readonly string[] = [];
      try {
        make({ filename, [key]: value });
      } catch (err) {
        expect(ConfigError.is(err)).toBe(true);
        problems = (err as ConfigError).problems;
      }
      expect(problems).toHaveLength(1);
      const p = problems[0] as string;
      expect(p).toContain(`${name}: option "${key}" is ${JSON.stringify(value)}; unknown option`);
      expect(p).toContain('allowed: ');
      expect(p).toContain('filename, ');
      expect(p).toContain(' level, ');
      if (hint !== undefined) expect(p).toContain(`did you mean "${hint}"?`);
      else expect(p).not.toContain('did you mean');
      // Changes nothing: no file, nothing registered for the exit hook.
      expect(fs.readdirSync(tmp)).toEqual([]);
      expect(liveTransports()).toHaveLength(live);
    });

    it("accepts winston's own transport options", () => {
      const t = make({
        filename: path.join(tmp, 'a.log'),
        level: 'info',
        format: winston.format.simple(),
        silent: false,
        handleExceptions: false,
        handleRejections: false,
        name: 'file',
        highWaterMark: 16,
      }) as RotatingFileTransport;
      t.close();
    });
  });

  it('names every problem at once', () => {
    try {
      new RotatingFileTransport({
        filename: path.join(tmp, 'a.log'),
        maxBytes: -1,
        backupCount: -1,
      });
      throw new Error('no ConfigError');
    } catch (err) {
      expect(ConfigError.is(err)).toBe(true);
      expect((err as ConfigError).problems).toHaveLength(2);
    }
  });

  it.each([
    ['RotatingFileTransport', (filename: string, o: object) => new RotatingFileTransport({ filename, ...o })],
    [
      'TimedRotatingFileTransport',
      (filename: string, o: object) => new TimedRotatingFileTransport({ filename, when: 'H', ...o }),
    ],
  ])(
    '%s writes a synchronous burst in batches of bufferSize characters, DEFAULT_BUFFER_SIZE (64 KiB) by default',
    (_name, make) => {
      const line = 'x'.repeat(1023); // 1,024 characters with the newline
      // The size on disk after each record of a burst that never yields to the event loop.
      const sizes = (bufferSize: number | undefined): number[] => {
        const filename = path.join(tmp, `burst-${String(bufferSize)}.log`);
        const t = make(filename, bufferSize === undefined ? {} : { bufferSize });
        const out: number[] = [];
        for (let i = 0; i < 70; i++) {
          t.log(rec(line), () => undefined);
          out.push(fs.existsSync(filename) ? fs.statSync(filename).size : 0);
        }
        t.close();
        return out;
      };
      expect(DEFAULT_BUFFER_SIZE).toBe(65536);
      const byDefault = sizes(undefined);
      expect(byDefault.indexOf(65536)).toBe(63); // the 64th record fills the first batch
      expect(byDefault.slice(0, 63).every((n) => n === 0)).toBe(true);
      expect(sizes(4096).slice(0, 9)).toEqual([0, 0, 0, 4096, 4096, 4096, 4096, 8192, 8192]);
    },
  );

  it('falls back to String(info.message) when no format set info[MESSAGE]', () => {
    const filename = path.join(tmp, 'a.log');
    const t = new RotatingFileTransport({ filename });
    t.log({ level: 'info', message: { toString: () => 'obj' } }, () => undefined);
    t.close();
    expect(fs.readFileSync(filename, 'utf8')).toBe('obj\n');
  });

  it('gzip: true compresses backups to app.log.N.gz and shifts them', () => {
    const filename = path.join(tmp, 'app.log');
    const t = new RotatingFileTransport({ filename, maxBytes: 10, backupCount: 2, gzip: true });
    for (const m of ['aaaa', 'bbbb', 'cccc']) {
      t.log(rec(m), () => undefined);
      t.flushSync();
    }
    t.close();
    expect(fs.readdirSync(tmp).sort()).toEqual(['app.log', 'app.log.1.gz', 'app.log.2.gz']);
    expect(gunzipSync(fs.readFileSync(`${filename}.2.gz`)).toString()).toBe('aaaa\n');
    expect(gunzipSync(fs.readFileSync(`${filename}.1.gz`)).toString()).toBe('bbbb\n');
    expect(fs.readFileSync(filename, 'utf8')).toBe('cccc\n');
  });

  it('fileMode sets the permission bits of a created file', () => {
    const filename = path.join(tmp, 'a.log');
    const old = process.umask(0);
    try {
      new RotatingFileTransport({ filename, fileMode: 0o600 }).close();
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(filename).mode & 0o777).toBe(0o600);
  });
});

describe('RotatingFileTransport: several writers without multiprocess, stats()', () => {
  const watch = (t: RotatingFileTransport): string[] => {
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    return warnings;
  };

  it.each([
    ['appended to', (f: string) => fs.appendFileSync(f, 'another writer\n')],
    ['truncated', (f: string) => fs.truncateSync(f, 0)],
    ['deleted or renamed', (f: string) => fs.renameSync(f, `${f}.moved`)],
  ])('another program %s the file: reported once, recommending multiprocess: true', (what, act) => {
    const filename = path.join(tmp, 'app.log');
    const t = new RotatingFileTransport({ filename, faultsToStderr: false });
    const warnings = watch(t);
    t.log(rec('one'), () => undefined);
    t.flushSync();
    act(filename);
    t.log(rec('two'), () => undefined);
    t.flushSync();
    act(filename);
    t.log(rec('three'), () => undefined);
    t.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${filename} was ${what} by another program`);
    expect(warnings[0]).toContain('use multiprocess: true');
  });

  it('stats() counts received, written, pending and dropped records', () => {
    const t = new RotatingFileTransport({ filename: path.join(tmp, 'app.log'), faultsToStderr: false });
    for (let i = 0; i < 5; i++) t.log(rec(`r${i}`), () => undefined);
    expect(t.stats()).toEqual({ received: 5, written: 0, pending: 5, dropped: 0 });
    t.flushSync();
    expect(t.stats()).toEqual({ received: 5, written: 5, pending: 0, dropped: 0 });
    t.close();
  });

  it('a full queue while the file fails: drops counted, reported when they start and with the count when writing resumes', () => {
    const filename = path.join(tmp, 'app.log');
    fs.mkdirSync(filename); // EISDIR until removed
    const t = new RotatingFileTransport({
      filename,
      maxQueuedRecords: 3,
      faultsToStderr: false,
      delay: true,
    });
    const warnings = watch(t);
    t.log(rec('r0'), () => undefined);
    t.flushSync(); // fails: the transport is now faulted
    for (let i = 1; i < 10; i++) t.log(rec(`r${i}`), () => undefined);
    expect(t.stats()).toEqual({ received: 10, written: 0, pending: 3, dropped: 7 });
    fs.rmdirSync(filename);
    t.flushSync();
    expect(fs.readFileSync(filename, 'utf8')).toBe('r0\nr1\nr2\n');
    expect(warnings.map((w) => w.replace(/: .*/s, ''))).toHaveLength(3);
    expect(warnings[0]).toContain('EISDIR');
    expect(warnings[1]).toContain('queue full (3 records');
    expect(warnings[2]).toContain('7 record(s) were dropped');
    t.close();
  });
});

describe('RotatingFileTransport multiprocess: close() never waits for another holder of the lock', () => {
  it('returns at once; the records are written and the file closed when the lock is free', async () => {
    const filename = path.join(tmp, 'app.log');
    const holder = new LockFile({ path: `${filename}.lock` });
    expect(holder.tryAcquire()).toBe(true);
    const t = new RotatingFileTransport({ filename, multiprocess: true, faultsToStderr: false });
    t.log(rec('held back'), () => undefined);
    t.close();
    expect(fs.readFileSync(filename, 'utf8')).toBe('');
    expect(t.stats().pending).toBe(1);
    holder.release();
    for (let i = 0; i < 200 && t.stats().pending !== 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(fs.readFileSync(filename, 'utf8')).toBe('held back\n');
    expect(fs.existsSync(`${filename}.lock`)).toBe(false);
  });
});
