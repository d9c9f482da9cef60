import { createModuleLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { pythonFormat } from '../../../formats/python-format';
import { MemoryTransport } from '../../helpers/memory-transport';

// Bad log data is logged anyway and never throws into the caller: values that cannot even be read
// (revoked Proxies, throwing traps and getters, throwing toJSON/toString) through a module logger.
beforeEach(() => resetLogging());

function setup(): {
  t: MemoryTransport;
  log: ReturnType<typeof createModuleLogger>;
  stderr: jest.SpyInstance;
} {
  const t = new MemoryTransport({ format: pythonFormat('%(levelname)s:%(message)s') });
  const log = createModuleLogger('hostile', { transports: [t], propagate: false, level: 'DEBUG' });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { t, log, stderr };
}

describe('hostile values through a module logger', () => {
  it('never throw and are logged, with one report', () => {
    const { t, log, stderr } = setup();
    try {
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      const trap = new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
          ownKeys() {
            throw new Error('keys');
          },
        },
      );
      const getter = {
        get message(): string {
          throw new Error('getter');
        },
      };
      const throwing = {
        toJSON(): never {
          throw new Error('json');
        },
        toString(): never {
          throw new Error('str');
        },
      };
      const err = new Error('x');
      Object.defineProperty(err, 'message', {
        get() {
          throw new Error('boom');
        },
      });
      const calls: Array<() => unknown> = [
        () => log.info(revoked.proxy),
        () => log.info('x %s', revoked.proxy),
        () => log.info(trap),
        () => log.info('x', trap),
        () => log.error(getter),
        () => log.warn(throwing),
        () => log.warn('v=%s', throwing),
        () => log.error(err),
        () => log.log('info', trap),
        () => log.child({ a: 1 }).info(trap),
      ];
      for (const call of calls) expect(call).not.toThrow();
      expect(t.lines).toHaveLength(calls.length);
      expect(t.lines[0]).toBe(
        "INFO:<unreadable log message: TypeError: Cannot perform 'get' on a proxy that has been revoked>",
      );
      expect(t.lines[2]).toBe('INFO:<unreadable log message: Error: trap>');
      expect(t.lines[5]).toBe("WARNING:{'toJSON': <function toJSON>, 'toString': <function toString>}");
      const reports = stderr.mock.calls
        .map((c) => String(c[0]))
        .filter((l) => l.includes('could not be read'));
      expect(reports).toHaveLength(1);
    } finally {
      stderr.mockRestore();
    }
  });
});
