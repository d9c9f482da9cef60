import type { TransformableInfo } from 'logform';
import { LEVEL, SPLAT } from 'triple-beam';
import winston from 'winston';
import { PY_RECORD } from '../../../src/record/record';
import { splatOriginOf, watchSplat } from '../../../src/record/splat-origin';

type Info = Record<string | symbol, unknown>;

// The infos winston's Logger.log builds for these calls (logger.js), with fresh arrays each time.
const calls: Array<() => Info> = [
  () => ({ [LEVEL]: 'info', level: 'info', message: 'count %d items', [SPLAT]: [5] }),
  () => ({ [LEVEL]: 'info', level: 'info', message: '%s', [SPLAT]: ['100%'] }),
  () => ({ [LEVEL]: 'info', level: 'info', message: 'x %s', [SPLAT]: ['a', { user: 'bob' }] }),
  () => ({ [LEVEL]: 'info', level: 'info', message: 'count', [SPLAT]: [5] }),
  () => ({ [LEVEL]: 'info', level: 'info', message: 'hello', [SPLAT]: ['a', 'b'] }),
  () => ({ [LEVEL]: 'info', level: 'info', message: '%d%% done', [SPLAT]: [50] }),
  () => ({ [LEVEL]: 'info', level: 'info', message: 'no args' }),
];

/** What splat() did to an info: its result, own keys and values (symbols included), [SPLAT]'s elements. */
function run(info: Info): { out: unknown; keys: unknown[]; splat: unknown } {
  const f = winston.format.splat();
  const out = f.transform(info as TransformableInfo, f.options);
  const keys = Reflect.ownKeys(info).map((k) => [k, k === SPLAT ? 'array' : info[k]]);
  return { out: out === info ? 'same info' : out, keys, splat: [...((info[SPLAT] as unknown[]) ?? [])] };
}

describe('watchSplat', () => {
  // One jest module registry per test file: logform here is this file's own copy, unwatched until
  // watchSplat() runs, so the same calls are compared through splat() before and after.
  it("changes nothing splat() does to an info (message, merged metadata, [SPLAT]'s contents)", () => {
    const before = calls.map((c) => run(c()));
    watchSplat();
    const after = calls.map((c) => run(c()));
    expect(after).toEqual(before);
    expect(after[0]!.keys).toContainEqual(['message', 'count 5 items']);
    expect(after[2]!.keys).toContainEqual(['user', 'bob']);
  });

  it('notes the message and arguments as logged where splat() changed the message or [SPLAT]', () => {
    watchSplat();
    const noted = calls.map((c) => {
      const info = c();
      run(info);
      return splatOriginOf(info as TransformableInfo) ?? null;
    });
    expect(noted).toEqual([
      { message: 'count %d items', args: [5] },
      { message: '%s', args: ['100%'] },
      { message: 'x %s', args: ['a', { user: 'bob' }] },
      null, // message and [SPLAT] unchanged: the info is the call as logged
      { message: 'hello', args: ['a', 'b'] }, // splat() emptied [SPLAT]
      { message: '%d%% done', args: [50] },
      null,
    ]);
  });

  it("a per-transport copy of the info (winston-transport's Object.assign) finds the same note", () => {
    watchSplat();
    const info = calls[0]!();
    run(info);
    expect(splatOriginOf({ ...info } as TransformableInfo)).toBe(splatOriginOf(info as TransformableInfo));
  });

  it("notes nothing for the bundle's loggers' infos, which carry the call's context already", () => {
    watchSplat();
    const info: Info = { ...calls[0]!(), [PY_RECORD]: { name: 'app', created: 0 } };
    run(info);
    expect(info.message).toBe('count 5 items');
    expect(splatOriginOf(info as TransformableInfo)).toBeUndefined();
  });

  it('keeps the first note when splat() runs again on a transport (on its output)', () => {
    watchSplat();
    const info = calls[2]!(); // 'x %s', 'a', { user: 'bob' }
    run(info);
    const copy = { ...info };
    run(copy);
    expect(copy.message).toBe('x a');
    expect(splatOriginOf(copy as TransformableInfo)).toEqual({
      message: 'x %s',
      args: ['a', { user: 'bob' }],
    });
  });

  it('a frozen [SPLAT] gets no note and splat() works as shipped', () => {
    watchSplat();
    const info: Info = { ...calls[0]!(), [SPLAT]: Object.freeze([5]) };
    run(info);
    expect(info.message).toBe('count 5 items');
    expect(splatOriginOf(info as TransformableInfo)).toBeUndefined();
  });

  it('wraps once however many formats ask', () => {
    watchSplat();
    const proto = Object.getPrototypeOf(winston.format.splat()) as { transform: unknown };
    const wrapped = proto.transform;
    watchSplat();
    watchSplat();
    expect(proto.transform).toBe(wrapped);
  });
});
