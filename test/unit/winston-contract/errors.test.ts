import type { TransformableInfo } from 'logform';
import { LEVEL, MESSAGE } from 'triple-beam';
import winston from 'winston';
import { VARIANTS, collector, createLoggerWith, settle, type Variant } from './contract-helpers';

// Port of winston 3.19.0's test/unit/formats/errors.test.js (format.errors() end to end through a logger), run on
// plain winston and on module loggers.

const { format } = winston;
const MSG = 'Errors lack .toJSON() lulz';

type CustomError = Error & { something?: boolean; wut?: string };

function customError(wut = 'another string'): CustomError {
  return Object.assign(new Error(MSG), { something: true, wut });
}

/** winston's assumeExpectedInfo: level and message (plain and under triple-beam's symbols), plus any target key. */
function expectInfo(info: TransformableInfo | undefined, target: Record<string, unknown> = {}): void {
  const expected: Record<string, unknown> = { level: 'info', message: MSG, ...target };
  expect(typeof info).toBe('object');
  const i = info as TransformableInfo & Record<symbol, unknown>;
  expect(i).toHaveProperty('level');
  expect(i).toHaveProperty('message');
  expect(i.level).toBe(expected.level);
  expect(i[LEVEL]).toBe(expected.level);
  expect(i.message).toBe(expected.message);
  expect(i[MESSAGE]).toBe(expected.message);
  for (const key of Object.keys(expected)) {
    if (key !== 'level' && key !== 'message') expect(i[key]).toBe(expected[key]);
  }
}

/** winston's assumeNonMutatedObject: the caller's error did not get triple-beam's LEVEL written onto it. */
function expectNotMutated(err: Error): void {
  expect((err as unknown as Record<symbol, unknown>)[LEVEL]).toBeUndefined();
}

const meta = { thisIsMeta: true, anyValue: 'a string' };
const messageOnly = (): winston.Logform.Format =>
  format.combine(
    format.errors(),
    format.printf((info) => info.message as string),
  );

describe.each(VARIANTS)('format.errors (integration) ($kind)', (variant: Variant) => {
  beforeEach(() => variant.reset());

  async function logWith(
    fmt: winston.Logform.Format,
    act: (logger: winston.Logger) => void,
  ): Promise<TransformableInfo[]> {
    const { records, write } = collector();
    act(createLoggerWith(variant, write, fmt));
    await settle();
    expect(records).toHaveLength(1);
    return records;
  }

  it('logger.log(level, error)', async () => {
    const [info] = await logWith(format.errors(), (logger) => logger.log('info', new Error(MSG) as never));
    expectInfo(info);
  });

  it('logger.log(level, error) [custom error properties]', async () => {
    const err = customError();
    const [info] = await logWith(format.errors(), (logger) => logger.log('info', err as never));
    expectInfo(info, { something: true, wut: 'another string' });
    // winston's test also asserts that `err` is not mutated, but winston 3.19.0 does set err[LEVEL] on
    // log(level, error) (checked on the installed 3.19.0): the port leaves that assertion out.
  });

  it('logger.log(level, error, meta)', async () => {
    const err = new Error(MSG);
    const [info] = await logWith(format.errors(), (logger) => logger.log('info', err as never, meta));
    expectInfo(info, meta);
    expectNotMutated(err);
  });

  it('logger.log(level, error, meta) [custom error properties]', async () => {
    const err = customError();
    const [info] = await logWith(format.errors(), (logger) => logger.log('info', err as never, meta));
    expectInfo(info, { something: true, wut: 'another string', ...meta });
    expectNotMutated(err);
  });

  it('logger.log(level, msg, meta<error>)', async () => {
    const err = new Error(MSG);
    const [info] = await logWith(messageOnly(), (logger) => logger.log('info', 'Caught error:', err));
    expectInfo(info, { message: `Caught error: ${MSG}` });
    expectNotMutated(err);
  });

  it('logger.log(level, msg, meta<error>) [custom error properties]', async () => {
    const err = customError();
    const [info] = await logWith(messageOnly(), (logger) => logger.log('info', 'Caught error:', err));
    expectInfo(info, {
      message: `Caught error: ${MSG}`,
      stack: err.stack,
      something: true,
      wut: 'another string',
    });
    expectNotMutated(err);
  });

  it('logger.<level>(error)', async () => {
    const err = new Error(MSG);
    const [info] = await logWith(format.errors(), (logger) => logger.info(err as never));
    expectInfo(info);
  });

  it('logger.<level>(error) [custom error properties]', async () => {
    const err = customError();
    const [info] = await logWith(format.errors(), (logger) => logger.info(err as never));
    expectInfo(info, { something: true, wut: 'another string' });
    // Left out as for log(level, error): winston 3.19.0 sets LEVEL on a lone error given to a level method.
  });

  it('logger.<level>(error, meta)', async () => {
    const err = new Error(MSG);
    const [info] = await logWith(format.errors(), (logger) => logger.info(err as never, meta));
    expectInfo(info, meta);
    expectNotMutated(err);
  });

  it('logger.<level>(error, meta) [custom error properties]', async () => {
    const err = customError();
    const [info] = await logWith(format.errors(), (logger) => logger.info(err as never, meta));
    expectInfo(info, { something: true, wut: 'another string', ...meta });
    expectNotMutated(err);
  });

  it('logger.<level>(msg, meta<error>)', async () => {
    const err = new Error(MSG);
    const [info] = await logWith(messageOnly(), (logger) => logger.info('Caught error:', err));
    expectInfo(info, { message: `Caught error: ${MSG}` });
    expectNotMutated(err);
  });

  it('logger.<level>(msg, meta<error>) [custom error properties]', async () => {
    const err = customError();
    const [info] = await logWith(messageOnly(), (logger) => logger.info('Caught error:', err));
    expectInfo(info, {
      message: `Caught error: ${MSG}`,
      stack: err.stack,
      something: true,
      wut: 'another string',
    });
    expectNotMutated(err);
  });

  it('Promise.reject().catch(logger.<level>)', async () => {
    const { records, write } = collector();
    const logger = createLoggerWith(variant, write, format.errors());
    await new Promise((_resolve, _reject) => {
      throw new Error(MSG);
    }).catch(logger.error.bind(logger));
    await settle();
    expect(records).toHaveLength(1);
    expectInfo(records[0], { level: 'error' });
  });

  it('Promise.reject().catch(logger.<level>) [custom error properties]', async () => {
    const { records, write } = collector();
    const logger = createLoggerWith(variant, write, format.errors());
    await new Promise((_resolve, _reject) => {
      throw customError('a string');
    }).catch(logger.error.bind(logger));
    await settle();
    expect(records).toHaveLength(1);
    expectInfo(records[0], { level: 'error', something: true, wut: 'a string' });
  });
});
