import { getMessage } from '../../../../src/record/get-message';
import { percentFormat } from '../../../../formats/python/percent-format';
import { PyFloat } from '../../../../formats/python/py-float';
import { unwrapSingleMapping } from '../../../../formats/python/unwrap-single-mapping';
import { PythonFormatError } from '../../../../formats/python/python-format-error';

const f = (x: number): PyFloat => new PyFloat(x);

// Every expected string below was printed by CPython 3.11.7 for `fmt % args`.
describe('percentFormat (Python str % args)', () => {
  it.each([
    ['%5.1f|%-8.3e|%+g', [3.14159, 12345.678, 0.0001], '  3.1|1.235e+04|+0.0001'],
    ['%.0f %.0f %.0f %.2f %.1f', [0.5, 1.5, 2.5, 1.005, 0.25], '0 2 2 1.00 0.2'],
    ['%#o %#x %#X %x', [8, 255, 255, -255], '0o10 0xff 0XFF -ff'],
    ['% d|%+d|%05d|%-5d|%5.3d', [3, 3, -42, 7, -5], ' 3|+3|-0042|7    | -005'],
    [
      '%g %g %g %g %G',
      [f(100000), f(1000000), 1e-5, f(123456789), 1e-10],
      '100000 1e+06 1e-05 1.23457e+08 1E-10',
    ],
    ['%#g %#.0e %#.0f %.3g', [f(1), f(3), 2.5, 1234.5], '1.00000 3.e+00 2. 1.23e+03'],
    ['%c%c%5c|', [65, 'b', 0x1f600], 'Ab    😀|'],
    ['%*d|%-*d|%.*f', [5, 42, 5, 42, 2, 3.14159], '   42|42   |3.14'],
    ['%e %f', [Infinity, NaN], 'inf nan'],
    ['%010f', [-Infinity], '-000000inf'],
    ['%s %r %a', ["it's", 'say "hi"', 'café'], `it's 'say "hi"' 'caf\\xe9'`],
    ['%.3s|%5.2r|%-6s|', ['abcdef', 'xyz', 'ab'], "abc|   'x|ab    |"],
    ['%d %i %u', [3.99, -3.99, true], '3 -3 1'],
    ['%s|%r|%s', [f(1e16), 1e-5, 1e16], '1e+16|1e-05|10000000000000000'],
    ['%s %s %s', [0.1 + 0.2, 2.5e-7, new PyFloat(1e22)], '0.30000000000000004 2.5e-07 1e+22'],
    // An integral number above 2^53 is the int it holds (CPython: '%s' % int(1e22)).
    ['%s %r', [1e22, 2 ** 60], '10000000000000000000000 1152921504606846976'],
    ['%ld %hd %Lf', [1, 2, 1.5], '1 2 1.500000'],
    ['%f %.2e', [10n ** 20n, 9.999], '100000000000000000000.000000 1.00e+01'],
    ['%s %(x)s', { x: 1 }, "{'x': 1} 1"],
    [
      '%(n)05d %(s)s',
      new Map<string, unknown>([
        ['n', 42],
        ['s', 'v'],
      ]),
      '00042 v',
    ],
    ['hello', { a: 1 }, 'hello'],
    [
      '%.2f %.3f',
      [1e300, -0.0005],
      '1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.00 -0.001',
    ],
  ])('%p %% %p', (fmt, args, expected) => {
    expect(percentFormat(fmt, args)).toBe(expected);
  });

  it.each([
    ['%s %s', ['a'], 'TypeError', 'not enough arguments for format string'],
    ['%s', ['a', 'b'], 'TypeError', 'not all arguments converted during string formatting'],
    ['%d', ['x'], 'TypeError', '%d format: a real number is required, not str'],
    ['%x', [3.5], 'TypeError', '%x format: an integer is required, not float'],
    ['%x', [f(3)], 'TypeError', '%x format: an integer is required, not float'],
    ['100% %s', ['x'], 'ValueError', "unsupported format character '%' (0x25) at index 5"],
    ['%(x)s', [1], 'TypeError', 'format requires a mapping'],
    ['%c', ['ab'], 'TypeError', '%c requires int or char'],
    // CPython raises OverflowError here; the closest of the four types is ValueError (see README).
    ['%c', [-1], 'OverflowError', '%c arg not in range(0x110000)'],
    ['%d', [null], 'TypeError', '%d format: a real number is required, not NoneType'],
    ['%.2f', ['x'], 'TypeError', 'must be real number, not str'],
    ['%s %', [1], 'ValueError', 'incomplete format'],
    ['%(a', { a: 1 }, 'ValueError', 'incomplete format key'],
    ['%*d', ['x', 1], 'TypeError', '* wants int'],
    ['%5%', [1], 'ValueError', "unsupported format character '%' (0x25) at index 2"],
    ['%d', [NaN], 'ValueError', 'cannot convert float NaN to integer'],
    ['%z', [], 'TypeError', 'not enough arguments for format string'],
    ['%(a)s %(b)s', { a: 1 }, 'KeyError', "'b'"],
    ['%(a)s %d', { a: 1 }, 'TypeError', 'not enough arguments for format string'],
  ])('%p %% %p raises %s', (fmt, args, type, message) => {
    let err: unknown;
    try {
      percentFormat(fmt, args);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PythonFormatError);
    const e = err as PythonFormatError;
    expect([e.pythonType, e.phase, e.pythonMessage]).toEqual([type, 'format', message]);
  });
});

describe('getMessage(msg, args) (LogRecord.getMessage)', () => {
  it('str()s msg and merges only when args is truthy', () => {
    expect(getMessage('100%', [])).toBe('100%');
    expect(getMessage('%s literal', null)).toBe('%s literal');
    expect(getMessage('%s literal', {})).toBe('%s literal');
    expect(getMessage('%s items', [3])).toBe('3 items');
    expect(getMessage(42, undefined)).toBe('42');
    expect(getMessage(null, [])).toBe('None');
    expect(getMessage(['a', 1], [])).toBe("['a', 1]");
    expect(getMessage('%(user)s', { user: 'kim' })).toBe('kim');
    expect(getMessage('%s', [{}])).toBe('{}');
    expect(() => getMessage(42, ['x'])).toThrow('not all arguments converted during string formatting');
  });
});

describe('unwrapSingleMapping(args) (LogRecord.__init__)', () => {
  it('unwraps a tuple holding exactly one non-empty mapping', () => {
    expect(unwrapSingleMapping([{ k: 1 }])).toEqual({ k: 1 });
    const m = new Map([['k', 1]]);
    expect(unwrapSingleMapping([m])).toBe(m);
    expect(unwrapSingleMapping([{}])).toEqual([{}]);
    expect(unwrapSingleMapping([{ k: 1 }, 2])).toEqual([{ k: 1 }, 2]);
    expect(unwrapSingleMapping([[1]])).toEqual([[1]]);
    expect(unwrapSingleMapping(null)).toBeNull();
  });
});
