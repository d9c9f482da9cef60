import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// compilePythonFormat generates a straight-line renderer with `new Function`; hosts that forbid code
// generation (node --disallow-code-generation-from-strings, strict CSP) get the interpreter instead.
// A real Node process with the flag, compared with one without it.
const engine = join(__dirname, '../../formats/python/compile-python-format.ts');
const script = `
  const { compilePythonFormat } = require(${JSON.stringify(engine)});
  let blocked = false;
  try { new Function('return 1'); } catch (e) { blocked = e instanceof EvalError; }
  const out = [blocked];
  const f = compilePythonFormat('%(levelname)-8s|%(name)s|%(lineno)5d|%(x)r|%(message)s|%(missing)s');
  out.push(f({ levelname: 'INFO', name: 'db', lineno: 42, x: 'q', msg: 'up %s', args: ['x'], missing: 1 }));
  try { f({ levelname: 'INFO', name: 'db', lineno: 42, x: 1, msg: 'm' }); } catch (e) { out.push(e.pythonMessage); }
  out.push(compilePythonFormat('%(asctime)s %(message)s', { utc: true })({ msg: 'm', created: 0, msecs: 5 }));
  process.stdout.write(JSON.stringify(out));`;

function run(flags: string[]): unknown[] {
  const out = execFileSync(
    process.execPath,
    [...flags, '--require', require.resolve('tsx/cjs'), '-e', script],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as unknown[];
}

describe('compilePythonFormat without code generation', () => {
  it('renders and fails exactly as with it, under --disallow-code-generation-from-strings', () => {
    const expected = [
      "INFO    |db|   42|'q'|up x|1",
      "Formatting field not found in record: 'missing'",
      '1970-01-01 00:00:00,005 m',
    ];
    expect(run([])).toEqual([false, ...expected]);
    expect(run(['--disallow-code-generation-from-strings'])).toEqual([true, ...expected]);
  });
});
