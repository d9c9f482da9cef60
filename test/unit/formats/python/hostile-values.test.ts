import { compilePythonFormat } from '../../../../formats/python/compile-python-format';
import { pyAscii, pyRepr, pyStr, pyTypeName } from '../../../../formats/python/py-repr';
import { PythonFormatError } from '../../../../formats/python/python-format-error';
import { getMessage } from '../../../../src/record/get-message';

// Bad log data is logged anyway and never throws into the caller: values whose inspection throws
// render as something readable, and a lookup on them fails as a Python lookup would (a
// PythonFormatError that the logging adapters catch), never with the JavaScript exception.
function hostile(): Array<[string, unknown]> {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const traps = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('no keys');
      },
      getPrototypeOf() {
        throw new Error('no prototype');
      },
      get() {
        throw new Error('no get');
      },
    },
  );
  return [
    ['revoked Proxy', proxy],
    ['Proxy whose traps throw', traps],
    [
      'throwing getter',
      Object.defineProperty({}, 'a', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }),
    ],
    [
      'throwing toJSON',
      {
        toJSON: () => {
          throw new Error('json');
        },
      },
    ],
    [
      'class with throwing toString',
      new (class Widget {
        toString(): string {
          throw new Error('str');
        }
      })(),
    ],
    [
      'Error whose message getter throws',
      Object.defineProperty(new Error('e'), 'message', {
        get: () => {
          throw new Error('m');
        },
      }),
    ],
  ];
}

describe('hostile values', () => {
  it.each(hostile())('%s: repr, str, ascii and the type name never throw', (_name, value) => {
    for (const f of [pyRepr, pyStr, pyAscii, pyTypeName]) expect(typeof f(value)).toBe('string');
  });

  it('renders readable text for each', () => {
    const [revoked, traps, getter, toJSON] = hostile().map(([, v]) => v);
    expect(pyRepr(revoked)).toBe('<object (repr failed)>');
    expect(pyStr(traps)).toBe('<object (str failed)>');
    expect(pyRepr(getter)).toBe("{'a': Error('boom')}");
    expect(pyRepr(toJSON)).toBe("{'toJSON': <function toJSON>}");
  });

  it.each(hostile())('%s: every style and conversion renders, or fails as Python would', (_name, value) => {
    const formats: Array<[string, '%' | '{' | '$']> = [
      ['%(x)s %(x)r %(x)a %(message)s', '%'],
      ['{x} {x!r} {x!a} {message}', '{'],
      ['$x $message', '$'],
    ];
    for (const [fmt, style] of formats) {
      const out = compilePythonFormat(fmt, { style })({ x: value, msg: 'got %s', args: [value] });
      expect(typeof out).toBe('string');
    }
    for (const fmt of ['{x.a}', '{x[a]}', '{x[0]}', '{x:>10}']) {
      let err: unknown;
      try {
        compilePythonFormat(fmt, { style: '{' })({ x: value });
      } catch (e) {
        err = e;
      }
      if (err !== undefined) expect(err).toBeInstanceOf(PythonFormatError);
    }
    expect(typeof getMessage('%s %r', [value, value])).toBe('string');
  });
});
