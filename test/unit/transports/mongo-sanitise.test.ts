import * as path from 'node:path';
import { BSON, Decimal128, Long, ObjectId } from 'mongodb';
import { BsonSanitiser, CIRCULAR, safeKey, stringBytes } from '../../../transports/mongo/mongo-sanitise';

// bson 6, a second copy beside the driver's bson 7 (winston-mongodb, a dev dependency, ships it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bson6 = require(
  path.join(__dirname, '../../../node_modules/winston-mongodb/node_modules/bson'),
) as typeof BSON;

function clean(value: unknown): unknown {
  return new BsonSanitiser().value(value);
}

describe('safeKey(key)', () => {
  it.each([
    ['plain', 'plain'],
    ['a.b.c', 'a[dot]b[dot]c'],
    ['$where', '[$]where'],
    ['price$', 'price$'],
    ['$a.b', '[$]a[dot]b'],
    ['nul\0key', 'nul[nul]key'],
    ['_bsontype', '[_bsontype]'],
    ['_bsontype.x', '_bsontype[dot]x'],
    ['', ''],
  ])('safeKey(%j) is %j', (key, expected) => {
    expect(safeKey(key)).toBe(expected);
  });
});

describe('BsonSanitiser.value(v)', () => {
  it('renames keys with "." and a leading "$" at every depth, in objects and Maps', () => {
    expect(clean({ 'a.b': 1, $set: { 'x.y': 2 }, m: new Map([['$k', 3]]) })).toEqual({
      'a[dot]b': 1,
      '[$]set': { 'x[dot]y': 2 },
      m: { '[$]k': 3 },
    });
  });

  it("keeps the driver's own BSON values, and reduces every other _bsontype object to a form the driver serialises", () => {
    const hex = '64b7f0c2a1b2c3d4e5f60718';
    const own = { oid: new ObjectId(hex), n: Long.fromNumber(7), d: Decimal128.fromString('1.5') };
    const kept = clean(own) as typeof own;
    expect(kept.oid).toBe(own.oid);
    expect(kept.n).toBe(own.n);
    expect(kept.d).toBe(own.d);
    expect(
      clean({
        json: JSON.parse('{"_bsontype":"ObjectId","id":"x"}') as unknown,
        foreignOid: new bson6.ObjectId(hex),
        foreignLong: bson6.Long.fromNumber(5),
        numberTag: { _bsontype: 5, v: 1 },
        unknownTag: { _bsontype: 'Nope' },
      }),
    ).toEqual({
      json: { '[_bsontype]': 'ObjectId', id: 'x' },
      foreignOid: hex,
      foreignLong: { '[_bsontype]': 'Long', low: 5, high: 0, unsigned: false },
      numberTag: { '[_bsontype]': 5, v: 1 },
      unknownTag: { '[_bsontype]': 'Nope' },
    });
    // Whatever is stored, the driver's serialiser takes it (it refuses the whole insert otherwise).
    const doc = clean({
      a: { _bsontype: 'Long' },
      b: new bson6.Decimal128('2.5'),
      c: { _bsontype: null },
    }) as Record<string, unknown>;
    expect(() => BSON.serialize(doc)).not.toThrow();
    expect(BSON.deserialize(BSON.serialize(doc))).toEqual({
      a: { '[_bsontype]': 'Long' },
      b: { '[_bsontype]': 'Decimal128', bytes: expect.anything() as unknown },
      c: { '[_bsontype]': null },
    });
  });

  it('replaces circular references by "[Circular]" but keeps shared, non-circular ones', () => {
    const shared = { s: 1 };
    const o: Record<string, unknown> = { a: shared, b: shared };
    o.self = o;
    const arr: unknown[] = [1];
    arr.push(arr);
    expect(clean(o)).toEqual({ a: { s: 1 }, b: { s: 1 }, self: CIRCULAR });
    expect(clean(arr)).toEqual([1, CIRCULAR]);
  });

  it('stores BigInt as its exact decimal text, Symbols and functions as text', () => {
    expect(clean({ n: 2n ** 70n, neg: -5n })).toEqual({ n: '1180591620717411303424', neg: '-5' });
    expect(clean(Symbol('tag'))).toBe('Symbol(tag)');
    expect(clean(function namedFn() {})).toBe('[Function: namedFn]');
    expect(clean(() => 1)).toBe('[Function (anonymous)]');
  });

  it('stores non-finite numbers as strings (FerretDB drops the connection on NaN, refuses Infinity)', () => {
    expect(clean([NaN, Infinity, -Infinity, -0, 1.5])).toEqual(['NaN', 'Infinity', '-Infinity', -0, 1.5]);
  });

  it('copies Buffers and typed arrays into Buffers, so later mutation does not change what is stored', () => {
    const buf = Buffer.from('abc');
    const out = clean({ buf, u16: new Uint16Array([1, 2]), ab: new Uint8Array([9]).buffer }) as Record<
      string,
      Buffer
    >;
    buf[0] = 0x7a;
    expect(out.buf).toEqual(Buffer.from('abc'));
    expect(Buffer.isBuffer(out.u16)).toBe(true);
    expect(out.u16!.length).toBe(4);
    expect(out.ab).toEqual(Buffer.from([9]));
  });

  it('turns Sets into arrays, RegExps and invalid Dates into text, keeps valid Dates as Dates', () => {
    const d = new Date(1700000000123);
    expect(clean({ s: new Set([1, 'a']), r: /x+/gi, bad: new Date(NaN), d })).toEqual({
      s: [1, 'a'],
      r: '/x+/gi',
      bad: 'Invalid Date',
      d,
    });
  });

  it('undefined becomes null; class instances with toJSON use it (URL)', () => {
    expect(clean({ u: undefined, url: new URL('https://example.com/a?b=1') })).toEqual({
      u: null,
      url: 'https://example.com/a?b=1',
    });
  });

  it('never throws: throwing getters and proxies are stored as "[Unserializable: …]"', () => {
    const bad = {
      get boom(): never {
        throw new Error('getter exploded');
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    expect(clean({ bad, proxy })).toEqual({
      bad: '[Unserializable: getter exploded]',
      proxy: '[Unserializable: no keys]',
    });
  });

  it('cuts nesting deeper than maxDepth', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10; i++) {
      deep.x = {};
      deep = deep.x as Record<string, unknown>;
    }
    const out = new BsonSanitiser({ maxDepth: 3 }).value(root);
    expect(out).toEqual({ x: { x: { x: '[Object]' } } });
  });
});

describe('BsonSanitiser.exception(err)', () => {
  it('stores type, message, stack, the cause chain and own fields of an Error', () => {
    const inner = Object.assign(new TypeError('inner'), { code: 'E_INNER' });
    const err = new Error('outer', { cause: inner });
    const out = new BsonSanitiser().exception(err);
    expect(out).toMatchObject({
      type: 'Error',
      message: 'outer',
      stack: err.stack,
      cause: { type: 'TypeError', message: 'inner', code: 'E_INNER', stack: inner.stack },
    });
  });

  it('stops at cause cycles and renders AggregateError members', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const out = new BsonSanitiser().exception(new AggregateError([a, 'text'], 'many'));
    expect(out).toMatchObject({
      type: 'AggregateError',
      message: 'many',
      errors: [{ message: 'a', cause: { message: 'b', cause: CIRCULAR } }, 'text'],
    });
  });

  it('stores a thrown non-Error as { type, message }', () => {
    expect(new BsonSanitiser().exception('just text')).toEqual({ type: 'string', message: 'just text' });
    expect(new BsonSanitiser().exception(null)).toEqual({ type: 'null', message: 'null' });
  });
});

describe('size estimate', () => {
  it('is exact for long strings and buffers and never below the real UTF-8 size', () => {
    const s = new BsonSanitiser();
    s.value('é'.repeat(1000));
    expect(s.bytes).toBeGreaterThanOrEqual(2000);
    expect(s.bytes).toBeLessThan(2100);
    expect(stringBytes('short')).toBeGreaterThanOrEqual(Buffer.byteLength('short'));
    const b = new BsonSanitiser();
    b.value(Buffer.alloc(5000));
    expect(b.bytes).toBeGreaterThanOrEqual(5000);
  });
});
