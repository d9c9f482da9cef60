import { Writable } from 'node:stream';
import { LEVEL, MESSAGE, SPLAT } from 'triple-beam';
import winston from 'winston';
import { makeCallInfo } from '../../../src/logger/call-info';
import { PY_RECORD, extraOf } from '../../../src/record/record';
import type { RecordContext } from '../../../src/record/record';

type Bag = Record<string | symbol, unknown>;

/** The infos a real winston 3.19 logger builds, captured through a real objectMode Stream transport. */
async function winstonInfos(
  call: (logger: winston.Logger) => void,
  defaultMeta?: Record<string, unknown>,
): Promise<Bag[]> {
  const seen: Bag[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: Bag, _enc, done) {
      seen.push(info);
      done();
    },
  });
  const logger = winston.createLogger({
    level: 'silly',
    // Identity: no json() rendering, so the info is exactly what log()/the level method built.
    format: winston.format((i) => i)(),
    defaultMeta,
    transports: [new winston.transports.Stream({ stream })],
  });
  call(logger);
  await new Promise((r) => setImmediate(r));
  return seen;
}

/** Our info for a level-method call: `log.info(...args)`. */
function ours(
  levelName: string,
  levelno: number,
  callArgs: unknown[],
  defaultMeta?: Record<string, unknown>,
  viaLog = false,
  forceExc = false,
): Bag {
  const [message, ...rest] = callArgs;
  return makeCallInfo(
    { name: 'app' },
    defaultMeta,
    levelName,
    levelno,
    message,
    rest,
    callArgs.length,
    viaLog,
    forceExc,
  );
}

function ctxOf(info: Bag): RecordContext {
  return info[PY_RECORD] as RecordContext;
}

/** Field by field: every own string key of either, winston's symbols, and an Error's message/stack/cause. */
function expectSameInfo(actual: Bag, expected: Bag): void {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected), 'message', 'stack', 'cause']);
  for (const key of keys) {
    expect([key, actual[key]]).toEqual([key, expected[key]]);
  }
  expect(actual[LEVEL]).toBe(expected[LEVEL]);
  expect(actual[SPLAT]).toEqual(expected[SPLAT]);
  expect(actual[MESSAGE]).toBe(expected[MESSAGE]);
  expect(actual instanceof Error).toBe(expected instanceof Error);
}

describe('makeCallInfo builds the info winston 3.19 builds for the same call', () => {
  const err = new Error('boom', { cause: new Error('root cause') });
  const cases: Array<[string, unknown[]]> = [
    ['no args', []],
    ['one string', ['hello']],
    ['an Error', [err]],
    ['an info object', [{ message: 'hi', user: 'bob' }]],
    ["('msg', err)", ['failed', err]],
    ["('x %s', a)", ['x %s', 'a']],
    ["('x', { user })", ['x', { user: 'bob' }]],
    ["('x', {})", ['x', {}]],
    [
      "('x', { message, stack, cause, level })",
      ['x', { message: 'm', stack: 's', cause: 'c', level: 'warn' }],
    ],
    ["('x %s', a, { user })", ['x %s', 'a', { user: 'bob' }]],
  ];

  for (const [label, args] of cases) {
    for (const defaultMeta of [undefined, { service: 'api' }]) {
      it(`level method: ${label}${defaultMeta ? ' with defaultMeta' : ''}`, async () => {
        // Fresh objects per side: winston mutates an info object it is given.
        const copy = (): unknown[] =>
          args.map((a) => (a !== null && typeof a === 'object' && !(a instanceof Error) ? { ...a } : a));
        const [expected] = await winstonInfos((l) => l.info(...(copy() as [string])), defaultMeta);
        const actual = ours('info', 20, copy(), defaultMeta);
        expectSameInfo(actual, expected as Bag);
      });
    }
  }

  it("log(level, info) uses any object as the info, as winston's log() does", async () => {
    const a = { user: 'bob' };
    const b = { user: 'bob' };
    const [expected] = await winstonInfos((l) => l.log('warn', a as never));
    const actual = ours('warn', 30, [b], undefined, true);
    expect(actual).toBe(b);
    expectSameInfo(actual, expected as Bag);
  });

  it('an Error alone is the info itself, as on winston', async () => {
    const e = new Error('alone');
    const [expected] = await winstonInfos((l) => l.error(e));
    expect(expected).toBe(e);
    const e2 = new Error('alone');
    const actual = ours('error', 40, [e2]);
    expect(actual).toBe(e2);
    expect(actual.level).toBe('error');
    expect(actual[LEVEL]).toBe('error');
  });

  it("a trailing metadata object overrides defaultMeta, as winston's splat() merges it over defaultMeta", async () => {
    const [winstonInfo] = await winstonInfos((l) => l.info('x %s', 'a', { user: 'bob' }), {
      user: 'default',
      service: 'api',
    });
    const splat = winston.format.splat();
    const merged = splat.transform({ ...(winstonInfo as Bag) } as never, splat.options) as unknown as Bag;
    expect(merged.user).toBe('bob');
    const actual = ours('info', 20, ['x %s', 'a', { user: 'bob' }], { user: 'default', service: 'api' });
    // The info stays winston's raw info (defaultMeta's user, as without splat()); the record attribute
    // that pythonFormat and MongoDB read is the call's own, as splat() would merge it.
    expect(actual.user).toBe(winstonInfo?.user);
    expect(extraOf(actual as never, actual[PY_RECORD] as RecordContext, 'user')).toBe(merged.user);
    expect(actual.service).toBe('api');
  });

  it("('msg', err) concatenates the message and copies stack and cause", () => {
    const info = ours('error', 40, ['failed', err]);
    expect(info.message).toBe('failed boom');
    expect(info.stack).toBe(err.stack);
    expect(info.cause).toBe(err.cause);
  });
});

describe('makeCallInfo: the Python context', () => {
  it('msg is kept only where it differs from info.message; infoMessage is the message produced', () => {
    const plain = ours('info', 20, ['hello']);
    expect(ctxOf(plain).msg).toBeUndefined();
    expect(ctxOf(plain).infoMessage).toBe('hello');
    expect(ctxOf(plain).name).toBe('app');
    expect(ctxOf(plain).levelno).toBe(20);

    const err = new Error('boom');
    const withErr = ours('error', 40, ['failed', err]);
    expect(ctxOf(withErr).msg).toBe('failed');
    expect(ctxOf(withErr).infoMessage).toBe('failed boom');
    expect(ctxOf(withErr).excInfo).toBe(err);

    const bare = new Error('bare');
    const alone = ours('error', 40, [bare]);
    expect(ctxOf(alone).msg).toBe('bare');
    expect(ctxOf(alone).excInfo).toBe(bare);

    const obj = ours('info', 20, [{ message: 'from object', user: 1 }]);
    expect(ctxOf(obj).msg).toBeUndefined();
    expect(ctxOf(obj).infoMessage).toBe('from object');
  });

  it('args: a tuple as an array, a single mapping as the mapping, none when there are none', () => {
    expect(ctxOf(ours('info', 20, ['x %s %s', 'a', 'b'])).args).toEqual(['a', 'b']);
    expect(ctxOf(ours('info', 20, ['x %s', 'a'])).args).toEqual(['a']);
    const mapping = ours('info', 20, ['x %(user)s', { user: 'bob' }]);
    expect(ctxOf(mapping).args).toEqual({ user: 'bob' });
    expect(Array.isArray(ctxOf(mapping).args)).toBe(false);
    // winston merged the object as metadata too.
    expect(mapping.user).toBe('bob');
    expect(ctxOf(ours('info', 20, ['x'])).args).toBeUndefined();
  });

  it('excInfo from a trailing Error, from { exc_info: err }, and null for exc_info: true', () => {
    const err = new Error('db down');
    const trailing = ours('error', 40, ['query %s failed', 'q1', err]);
    expect(ctxOf(trailing).excInfo).toBe(err);
    expect(ctxOf(trailing).args).toEqual(['q1']);

    const kw = ours('error', 40, ['query failed', { exc_info: err }]);
    expect(ctxOf(kw).excInfo).toBe(err);
    expect(ctxOf(kw).args).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(kw, 'exc_info')).toBe(false);

    const withArgs = ours('error', 40, ['query %s failed', 'q1', { exc_info: err }]);
    expect(ctxOf(withArgs).excInfo).toBe(err);
    expect(ctxOf(withArgs).args).toEqual(['q1']);
    expect(Object.prototype.hasOwnProperty.call(withArgs, 'exc_info')).toBe(false);

    const yes = ours('error', 40, ['no exception', { exc_info: true }]);
    expect(ctxOf(yes).excInfo).toBeNull();
    expect('exc_info' in yes).toBe(false);

    // log.exception() with nothing to show: Python's exc_info=True outside an except block.
    const forced = ours('error', 40, ['oops'], undefined, false, true);
    expect(ctxOf(forced).excInfo).toBeNull();
    const forcedErr = ours('error', 40, ['oops', err], undefined, false, true);
    expect(ctxOf(forcedErr).excInfo).toBe(err);
  });

  it('stack_info: true captures the stack; a string is kept as given', () => {
    const info = ours('info', 20, ['where', { stack_info: true }]);
    expect(ctxOf(info).stackInfo).toMatch(/^Stack \(most recent call last\):\n/);
    expect(ctxOf(info).stackInfo).toContain('call-info.test.ts');
    expect('stack_info' in info).toBe(false);
    const given = ours('info', 20, ['where', { stack_info: 'Stack: here' }]);
    expect(ctxOf(given).stackInfo).toBe('Stack: here');
  });

  it('extra is flattened into the info and removed as a key; { extra: 1 } stays a plain field', () => {
    const info = ours('info', 20, ['login', { extra: { user: 'bob', ip: '10.0.0.1' } }]);
    expect(info.user).toBe('bob');
    expect(info.ip).toBe('10.0.0.1');
    expect('extra' in info).toBe(false);

    const single = ours('info', 20, [{ message: 'login', extra: { user: 'bob' } }]);
    expect(single.user).toBe('bob');
    expect('extra' in single).toBe(false);

    const field = ours('info', 20, ['count', { extra: 1 }]);
    expect(field.extra).toBe(1);
    expect(ctxOf(field).args).toEqual({ extra: 1 });
  });

  it("never takes keys out of the caller's objects (plumbing keys are copied out)", () => {
    const err = new Error('e');
    const meta = { exc_info: err, stack_info: true, extra: { user: 'bob' }, other: 2 };
    const snapshot = { ...meta };
    const info = ours('error', 40, ['failed', meta]);
    expect(meta).toEqual(snapshot);
    expect(info.other).toBe(2);
    expect(info.user).toBe('bob');

    const obj = { message: 'm', exc_info: err, extra: { user: 'amy' } };
    const objSnapshot = { ...obj };
    const objInfo = ours('error', 40, [obj]);
    expect(objInfo).not.toBe(obj);
    expect(obj).toEqual(objSnapshot);
    expect(ctxOf(objInfo).excInfo).toBe(err);
    expect(objInfo.user).toBe('amy');
    expect('exc_info' in objInfo).toBe(false);

    // Without plumbing keys the caller's object is the info, as on winston.
    const plain = { message: 'm', user: 'zed' };
    expect(ours('info', 20, [plain])).toBe(plain);

    const trailing = { user: 'bob', exc_info: err };
    const trailingSnapshot = { ...trailing };
    ours('error', 40, ['x %s', 'a', trailing]);
    expect(trailing).toEqual(trailingSnapshot);
  });

  it('attaches the context to the info under PY_RECORD with the time of the call', () => {
    const before = Date.now();
    const info = ours('info', 20, ['t']);
    const ctx = ctxOf(info);
    expect(ctx.created).toBeGreaterThanOrEqual(before);
    expect(ctx.created).toBeLessThanOrEqual(Date.now());
    expect(Object.keys(info)).not.toContain(String(PY_RECORD));
  });
});
