import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoTransport } from '../../../transports/mongo/mongo-transport';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import {
  flushLiveTransports,
  liveTransports,
  registerTransport,
  unregisterTransport,
} from '../../../transports/shared/transport-registry';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-registry-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the registry of live bundle transports', () => {
  it('holds every bundle transport until it is closed; one exit and one beforeExit hook for all of them', async () => {
    const exitBefore = process.listenerCount('exit');
    const files = Array.from(
      { length: 5 },
      (_, i) => new RotatingFileTransport({ filename: path.join(dir, `${i}.log`) }),
    );
    const mongo = new MongoTransport({ uri: 'mongodb://127.0.0.1:1/', faultsToStderr: false });
    for (const t of [...files, mongo]) expect(liveTransports()).toContain(t);
    // The hooks were installed by the first transport of this module instance, not once per transport.
    expect(process.listenerCount('exit') - exitBefore).toBeLessThanOrEqual(1);
    await mongo.close();
    expect(liveTransports()).not.toContain(mongo);
    for (const t of files) {
      unregisterTransport(t);
      t.close();
    }
    expect(liveTransports()).toEqual([]);
  });

  it('registering twice keeps one entry; the exit work calls flushSync() on each live transport once', () => {
    const calls: string[] = [];
    const fake = { flushSync: () => calls.push('a') } as never;
    const throwing = {
      flushSync: () => {
        throw new Error('a transport failing at exit');
      },
    } as never;
    const other = { flushSync: () => calls.push('b') } as never;
    registerTransport(fake);
    registerTransport(fake);
    registerTransport(throwing);
    registerTransport(other);
    expect(() => flushLiveTransports()).not.toThrow();
    expect(calls).toEqual(['a', 'b']);
    for (const t of [fake, throwing, other]) unregisterTransport(t);
  });

  it('what a file transport accepted is in the file after the exit work runs (the flushSync path)', () => {
    const file = path.join(dir, 'exit.log');
    const t = new RotatingFileTransport({ filename: file });
    for (let i = 0; i < 3; i++)
      t.log({ level: 'info', message: `line ${i}`, [Symbol.for('message')]: `line ${i}` }, () => undefined);
    // Batched for the next event-loop turn: nothing is written yet.
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    flushLiveTransports();
    expect(fs.readFileSync(file, 'utf8')).toBe('line 0\nline 1\nline 2\n');
    unregisterTransport(t);
    t.close();
  });
});
