import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import winston from 'winston';
import type Transport from 'winston-transport';
import type { TransportStreamOptions } from 'winston-transport';
import { NullTransport } from '../../../src/config/null-transport';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import { TimedRotatingFileTransport } from '../../../transports/timed-rotating-file';
import { runAbstractTransportSuite } from '../../helpers/abstract-transport-suite';
import { describeTransportContract, finished } from '../../helpers/transport-contract';
import type { ContractSubject } from '../../helpers/transport-contract';

// winston's shared transport suite, unmodified, on every file transport of the bundle and on the
// NullTransport that configureLogging creates for Python's NullHandler; then the base-class contract
// the suite does not check, reading back what each transport actually wrote.

let tmp: string;
let seq = 0;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'abstract-transport-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh directory per instance, so that each reads back only its own files. */
function freshLog(): string {
  const dir = path.join(tmp, String(++seq));
  fs.mkdirSync(dir);
  return path.join(dir, 'app.log');
}

/** Every line of `app.log` and its siblings (backups, dated files), in name order; lock files aside. */
function linesBeside(filename: string): string[] {
  const dir = path.dirname(filename);
  const lines: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.startsWith('app.log') || name.endsWith('.lock')) continue;
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    if (text !== '') lines.push(...text.replace(/\n$/, '').split('\n'));
  }
  return lines;
}

/** The shared suite, then the contract, on one file transport configuration. */
function fileTransport<O extends { filename: string }>(
  name: string,
  Transport: new (options: O) => Transport,
  options: () => O,
): void {
  runAbstractTransportSuite({ name, Transport, construct: options });
  describeTransportContract({
    name,
    make(extra: TransportStreamOptions): ContractSubject {
      const own = options();
      const transport = new Transport({ ...own, ...extra });
      return { transport, written: () => Promise.resolve(linesBeside(own.filename)) };
    },
  });

  // winston's unpipe hook closes a removed transport; the app may add it again (logger.configure()
  // with the same instance does). As CPython's FileHandler, the next record reopens the file.
  it(`${name}: a record after close() reopens the file, also when closed again at once`, async () => {
    const own = options();
    const t = new Transport(own);
    const warnings: string[] = [];
    t.on('warn', (err: Error) => warnings.push(err.message));
    const logger = winston.createLogger({
      format: winston.format.printf((i) => String(i.message)),
      transports: [t],
    });
    const flushed = () => (t as unknown as { flush(): Promise<void> }).flush();
    logger.info('first');
    await flushed(); // the file is open and written: close() really closes it
    logger.remove(t);
    logger.add(t);
    logger.info('second');
    await flushed();
    expect(linesBeside(own.filename)).toEqual(['first', 'second']);
    t.close?.();
    logger.info('third');
    t.close?.();
    logger.end();
    await finished(t);
    expect(linesBeside(own.filename)).toEqual(['first', 'second', 'third']);
    expect(warnings).toEqual([]);
  });
}

fileTransport('RotatingFileTransport', RotatingFileTransport, () => ({ filename: freshLog() }));
fileTransport('RotatingFileTransport (multiprocess: true, rotating)', RotatingFileTransport, () => ({
  filename: freshLog(),
  multiprocess: true,
  maxBytes: 4096,
  backupCount: 2,
}));
fileTransport('TimedRotatingFileTransport (python layout)', TimedRotatingFileTransport, () => ({
  filename: freshLog(),
  when: 'S',
  backupCount: 2,
}));
fileTransport("TimedRotatingFileTransport (layout: 'dated')", TimedRotatingFileTransport, () => ({
  filename: freshLog(),
  layout: 'dated' as const,
  when: 'D',
  utc: true,
}));

runAbstractTransportSuite({ name: 'NullTransport', Transport: NullTransport, construct: () => ({}) });
describeTransportContract({
  name: 'NullTransport',
  make: (options) => ({ transport: new NullTransport(options) }),
});
