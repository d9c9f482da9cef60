import winston from 'winston';
import type Transport from 'winston-transport';
import type { TransportStreamOptions } from 'winston-transport';
import { MESSAGE } from 'triple-beam';

/** One instance of a transport under test and a way to read back what it stored. */
export interface ContractSubject {
  transport: Transport;
  /**
   * The text of every stored record, one entry per line, after the transport has finished. Absent for a
   * transport that stores nothing (NullTransport): its tests then check events and callbacks only.
   */
  written?: () => Promise<string[]>;
}

/** A transport class as the contract tests build it: each call a fresh destination. */
export interface ContractTarget {
  name: string;
  make(options: TransportStreamOptions): ContractSubject;
}

const messageOnly = winston.format.printf((info) => String(info.message));

/**
 * Ends the transport unless something (logger.end()) already did, and waits for its 'finish'.
 * winston-transport's readable-stream 3 Writable ignores a second end() and its callback.
 */
export function finished(t: Transport): Promise<void> {
  const state = (t as unknown as { _writableState: { ending: boolean; finished: boolean } })._writableState;
  if (state.finished) return Promise.resolve();
  return new Promise((resolve) => {
    if (state.ending) t.once('finish', () => resolve());
    else t.end(() => resolve());
  });
}

function counted(t: Transport): unknown[] {
  const seen: unknown[] = [];
  t.on('logged', (info: unknown) => seen.push(info));
  return seen;
}

/**
 * What winston-transport's base class (4.9) promises every transport, checked on a real winston logger:
 * `log()` with and without a callback, `'logged'` once per accepted record, `close()` twice (winston's
 * unpipe hook plus the app's own call), `silent`, `{ exception: true }` infos only with
 * `handleExceptions`, and a transport format that returns false. abstract-winston-transport covers the
 * first two only loosely (its "returns true" test asserts nothing, and it never reads what was stored).
 */
export function describeTransportContract(target: ContractTarget): void {
  describe(`${target.name}: winston-transport's contract`, () => {
    const open: Transport[] = [];
    const make = (options: TransportStreamOptions = {}): ContractSubject => {
      const subject = target.make(options);
      open.push(subject.transport);
      return subject;
    };
    const read = async (s: ContractSubject): Promise<string[] | undefined> => {
      await finished(s.transport);
      return s.written?.();
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map(finished));
    });

    it('log(info) without a callback stores the record, emits one "logged" and does not throw', async () => {
      const s = make();
      const logged = counted(s.transport);
      const info = { level: 'info', message: 'no callback', [MESSAGE]: 'no callback' };
      expect(() => s.transport.log?.(info, undefined as unknown as () => void)).not.toThrow();
      expect(logged).toEqual([info]);
      const lines = await read(s);
      if (lines !== undefined) expect(lines).toEqual(['no callback']);
    });

    it('log(info, callback) calls the callback exactly once', async () => {
      const s = make();
      let calls = 0;
      s.transport.log?.({ level: 'info', message: 'cb', [MESSAGE]: 'cb' }, () => calls++);
      await read(s);
      expect(calls).toBe(1);
    });

    it('emits "logged" once per record a winston logger writes, with that record', async () => {
      const s = make();
      const logged = counted(s.transport) as Array<{ message: string }>;
      const logger = winston.createLogger({ format: messageOnly, transports: [s.transport] });
      logger.info('one');
      logger.warn('two');
      logger.end();
      const lines = await read(s);
      expect(logged.map((i) => i.message)).toEqual(['one', 'two']);
      if (lines !== undefined) expect(lines).toEqual(['one', 'two']);
    });

    it('close() twice (winston closes on remove, then the app) does not throw and keeps the records', async () => {
      const s = make();
      const logger = winston.createLogger({ format: messageOnly, transports: [s.transport] });
      logger.info('before close');
      logger.remove(s.transport); // winston-transport's unpipe hook calls close()
      await Promise.resolve(s.transport.close?.());
      await Promise.resolve(s.transport.close?.());
      const lines = await read(s);
      if (lines !== undefined) expect(lines).toEqual(['before close']);
    });

    it('silent: stores nothing and emits no "logged" until silent is cleared', async () => {
      const s = make({ silent: true });
      const logged = counted(s.transport) as Array<{ message: string }>;
      const logger = winston.createLogger({ format: messageOnly, transports: [s.transport] });
      logger.info('hushed');
      s.transport.silent = false;
      logger.info('heard');
      logger.end();
      const lines = await read(s);
      expect(logged.map((i) => i.message)).toEqual(['heard']);
      if (lines !== undefined) expect(lines).toEqual(['heard']);
    });

    it('an { exception: true } info reaches only a transport with handleExceptions', async () => {
      const handler = make({ handleExceptions: true });
      const plain = make();
      const handled = counted(handler.transport) as Array<{ message: string }>;
      const ignored = counted(plain.transport) as Array<{ message: string }>;
      const logger = winston.createLogger({
        format: messageOnly,
        exitOnError: false,
        transports: [handler.transport, plain.transport],
      });
      // What winston's ExceptionHandler logs for an uncaught exception (its _uncaughtException body).
      logger.log(logger.exceptions.getAllInfo(new Error('boom')) as winston.LogEntry);
      logger.info('ordinary');
      logger.end();
      const [handlerLines, plainLines] = [await read(handler), await read(plain)];
      expect(handled.map((i) => i.message.split('\n')[0])).toEqual(['uncaughtException: boom', 'ordinary']);
      expect(ignored.map((i) => i.message)).toEqual(['ordinary']);
      if (handlerLines !== undefined) {
        expect(handlerLines[0]).toBe('uncaughtException: boom');
        expect(handlerLines.at(-1)).toBe('ordinary');
      }
      if (plainLines !== undefined) expect(plainLines).toEqual(['ordinary']);
    });

    it('a transport format that returns false drops that record only, and the stream keeps flowing', async () => {
      const dropIt = winston.format((info) => (info.message === 'drop me' ? false : info));
      const s = make({ format: dropIt() });
      const logged = counted(s.transport) as Array<{ message: string }>;
      const logger = winston.createLogger({ format: messageOnly, transports: [s.transport] });
      logger.info('keep 1');
      logger.info('drop me');
      logger.info('keep 2');
      logger.end();
      const lines = await read(s);
      expect(logged.map((i) => i.message)).toEqual(['keep 1', 'keep 2']);
      if (lines !== undefined) expect(lines).toEqual(['keep 1', 'keep 2']);
    });
  });
}
