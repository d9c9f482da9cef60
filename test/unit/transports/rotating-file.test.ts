import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MESSAGE } from 'triple-beam';
import { ConfigError } from '../../../src/errors';
import { RotatingFileTransport } from '../../../transports/rotating-file';

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
  ])('rejects %j with a ConfigError naming %s, the value and what is allowed', (bad, key) => {
    const make = () => new RotatingFileTransport({ filename: path.join(tmp, 'a.log'), ...(bad as object) });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(`option "${key}"`);
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
