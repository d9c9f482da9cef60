import winston from 'winston';
import { LegacyMixedTransport, LegacyTransport, VARIANTS, type Variant } from './contract-helpers';

// Port of winston 3.19.0's test/unit/winston/logger-legacy.test.js (winston < 3 APIs), run on plain winston and
// on module loggers. winston's mock legacy transport inherits winston-compat's Transport, an EventEmitter; the
// helper's LegacyTransport is that EventEmitter without the extra package.

describe.each(VARIANTS)('Deprecated APIs ($kind)', (variant: Variant) => {
  beforeEach(() => variant.reset());

  describe('Instantiation Options', () => {
    const deprecatedOptions: Array<Record<string, unknown>> = [
      { colors: true },
      { emitErrs: true },
      { formatters: [] },
      { padLevels: true },
      { rewriters: [] },
      { stripColors: true },
    ];

    it.each(deprecatedOptions)('should throw when instantiating with deprecated option of %s', (option) => {
      const key = Object.keys(option)[0] as string;
      // winston's message lists every removed key and says "Use a custom winston.format(function) instead".
      expect(() => variant.create(option as never)).toThrow(new RegExp(`${key}[\\s\\S]*Use a custom`));
    });
  });

  describe('Instance methods', () => {
    it.each(['cli'])('should throw when invoking deprecated %s() instance method', (method) => {
      const logger = variant.create();
      expect(() => (logger[method] as () => void).call(logger)).toThrow(/Use a custom/);
    });
  });

  describe.each([
    { scenario: 'Transport inheriting from winston@2', Legacy: LegacyTransport },
    {
      scenario: 'Transport inheriting from winston@3 but conforming to winston@2 API',
      Legacy: LegacyMixedTransport,
    },
  ])('$scenario', ({ Legacy }) => {
    let errorSpy: jest.SpyInstance;
    const expectedDeprecationMessage = `${new Legacy().name} is a legacy winston transport. Consider upgrading`;
    const output = (): string => errorSpy.mock.calls.flat().join('');

    beforeEach(() => {
      errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => errorSpy.mockRestore());

    it('.add() is successful but logs deprecation notice', () => {
      const logger = variant.create();
      logger.add(new Legacy() as never);
      // winston checks `_readableState.pipesCount`; the public view of the same fact:
      expect(logger.transports).toHaveLength(1);
      expect(errorSpy).toHaveBeenCalledTimes(1);
      expect(output()).toContain(expectedDeprecationMessage);
    });

    it('.add() multiple transports is successful but logs deprecation notice', () => {
      const logger = variant.create();
      logger.add(new Legacy() as never);
      logger.add(new Legacy() as never);
      logger.add(new Legacy() as never);
      expect(logger.transports).toHaveLength(3);
      expect(errorSpy).toHaveBeenCalledTimes(3);
      expect(output()).toContain(expectedDeprecationMessage);
    });

    it('.remove() is successful', () => {
      const consoleTransport = new winston.transports.Console();
      const legacyTransport = new Legacy();
      const logger = variant.create();
      logger.add(consoleTransport);
      logger.add(legacyTransport as never);
      expect(logger.transports).toHaveLength(2);
      logger.remove(legacyTransport as never);
      expect(logger.transports).toHaveLength(1);
      expect(logger.transports[0]).toBe(consoleTransport);
    });

    it('a record reaches the legacy log(level, msg, meta, callback) (not in winston suite)', async () => {
      const legacy = new Legacy();
      const logger = variant.create({ level: 'info' });
      logger.add(legacy as never);
      logger.warn('through the wrapper');
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(legacy.calls).toEqual([['warn', 'through the wrapper']]);
      expect(legacy.output.write).toEqual(['I AM BACKWARDS COMPATIBLE WITH LEGACY']);
    });
  });
});
