import { PyFloat } from '../../../../formats/python/py-float';
import {
  codePointLength,
  codePointSlice,
  floatRepr,
  pyAscii,
  pyRepr,
  pyStr,
  pyTypeName,
  strRepr,
} from '../../../../formats/python/py-repr';
import { PyTuple } from '../../../../formats/python/py-tuple';

// Expected values printed by CPython 3.11.7 (repr(), ascii(), str()).
describe('py-repr', () => {
  it.each([
    [1.0, '1.0'],
    [1e16, '1e+16'],
    [1e-5, '1e-05'],
    [2.5e-7, '2.5e-07'],
    [0.1 + 0.2, '0.30000000000000004'],
    [123456789012345680.0, '1.2345678901234568e+17'],
    [-0, '-0.0'],
    [1e22, '1e+22'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.0001, '0.0001'],
    [12345.678, '12345.678'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('floatRepr(%p) is %p', (x, expected) => {
    expect(floatRepr(x)).toBe(expected);
  });

  it.each([
    ["it's", `"it's"`, `"it's"`],
    ['say "hi"', `'say "hi"'`, `'say "hi"'`],
    [`it's "x"`, `'it\\'s "x"'`, `'it\\'s "x"'`],
    ['a\\b', "'a\\\\b'", "'a\\\\b'"],
    ['tab\tnl\nret\r', "'tab\\tnl\\nret\\r'", "'tab\\tnl\\nret\\r'"],
    ['\x00\x1f\x7f', "'\\x00\\x1f\\x7f'", "'\\x00\\x1f\\x7f'"],
    ['\u200b\u00a0\u2028', "'\\u200b\\xa0\\u2028'", "'\\u200b\\xa0\\u2028'"],
    ['한국어', "'한국어'", "'\\ud55c\\uad6d\\uc5b4'"],
    ['😀', "'😀'", "'\\U0001f600'"],
    ['café', "'café'", "'caf\\xe9'"],
    ['\ud800', "'\\ud800'", "'\\ud800'"],
  ])('repr/ascii of %p', (s, repr, ascii) => {
    expect(strRepr(s)).toBe(repr);
    expect(pyRepr(s)).toBe(repr);
    expect(pyAscii(s)).toBe(ascii);
    expect(pyStr(s)).toBe(s);
  });

  it('bytes, containers, tuples and sets render as Python', () => {
    expect(pyRepr(Buffer.from([97, 98]))).toBe("b'ab'");
    expect(pyRepr(Buffer.from("it's"))).toBe(`b"it's"`);
    expect(pyRepr(Buffer.from(`it's "x"`))).toBe(`b'it\\'s "x"'`);
    expect(pyRepr(Buffer.from([0, 255, 10, 92]))).toBe("b'\\x00\\xff\\n\\\\'");
    expect(pyRepr([1, 'a', null, true, 1.5])).toBe("[1, 'a', None, True, 1.5]");
    expect(pyRepr({ k: 'v', n: [1, 2] })).toBe("{'k': 'v', 'n': [1, 2]}");
    expect(pyRepr(new Set())).toBe('set()');
    expect(pyRepr(new Set([1]))).toBe('{1}');
    expect(pyRepr(new PyTuple([]))).toBe('()');
    expect(pyRepr(new PyTuple([1]))).toBe('(1,)');
    expect(pyRepr(new PyTuple([1, 2]))).toBe('(1, 2)');
    expect(
      pyRepr(
        new Map<unknown, unknown>([
          [1, 'a'],
          ['b', null],
        ]),
      ),
    ).toBe("{1: 'a', 'b': None}");
    expect(pyRepr(new PyFloat(2))).toBe('2.0');
    expect(pyRepr(Object.create(null))).toBe('{}');
  });

  it('circular containers render [...] and {...}; shared (non-circular) ones render twice', () => {
    const a: unknown[] = [1];
    a.push(a);
    const d: Record<string, unknown> = { a: 1 };
    d['self'] = d;
    expect(pyRepr(a)).toBe('[1, [...]]');
    expect(pyRepr(d)).toBe("{'a': 1, 'self': {...}}");
    const inner = [2];
    expect(pyRepr([inner, inner])).toBe('[[2], [2]]');
  });

  it('dates, errors, functions, symbols, bigints and class instances', () => {
    // str(datetime)/repr(datetime) of the local wall-clock time (the suite runs with the machine TZ).
    const d = new Date(2023, 10, 14, 22, 13, 20, 123);
    expect(pyStr(d)).toBe('2023-11-14 22:13:20.123000');
    expect(pyRepr(d)).toBe('datetime.datetime(2023, 11, 14, 22, 13, 20, 123000)');
    expect(pyStr(new Date(2023, 10, 14, 22, 13, 20))).toBe('2023-11-14 22:13:20');
    expect(pyRepr(new Date(2023, 10, 14, 22, 13))).toBe('datetime.datetime(2023, 11, 14, 22, 13)');
    expect(pyStr(new Date(Number.NaN))).toBe('Invalid Date');
    expect(pyStr(new Error('bad'))).toBe('bad');
    expect(pyRepr(new Error('bad'))).toBe("Error('bad')");
    expect(pyRepr(new TypeError("it's"))).toBe(`TypeError("it's")`);
    expect(pyRepr(() => 1)).toBe('<function <lambda>>');
    expect(pyRepr(Symbol('s'))).toBe('s');
    expect(pyRepr(Symbol())).toBe('');
    expect(pyRepr(2n ** 70n)).toBe('1180591620717411303424');
    expect(pyStr(new URL('http://x.test/a'))).toBe('http://x.test/a');
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(pyStr(new Point(1, 2))).toBe("{'x': 1, 'y': 2}");
    const hostile = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    expect(pyStr(hostile)).toBe("{'boom': Error('getter')}");
  });

  it('counts and slices code points like Python', () => {
    expect(codePointLength('😀x')).toBe(2);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointSlice('😀x', 1)).toBe('😀');
    expect(codePointSlice('abc', 2)).toBe('ab');
  });

  it('names Python types for error messages', () => {
    expect(
      [
        'x',
        1,
        1.5,
        1n,
        true,
        null,
        undefined,
        [],
        {},
        new Set(),
        new PyTuple([]),
        new PyFloat(1),
        Buffer.from(''),
      ].map(pyTypeName),
    ).toEqual([
      'str',
      'int',
      'float',
      'int',
      'bool',
      'NoneType',
      'NoneType',
      'list',
      'dict',
      'set',
      'tuple',
      'float',
      'bytes',
    ]);
  });
});
