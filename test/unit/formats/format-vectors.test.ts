import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePythonFormat } from '../../../formats/python/compile-python-format';
import { PyFloat } from '../../../formats/python/py-float';
import { PythonFormatError } from '../../../formats/python/python-format-error';

// Golden rows produced by CPython 3.11.7 (see test/fixtures/python-logging/README.md).
interface VectorRow {
  id: string;
  group: string;
  fmt: string | null;
  datefmt: string | null;
  style?: string;
  validate?: boolean;
  defaults?: Record<string, unknown>;
  formatter_attrs?: { default_time_format?: string; default_msec_format?: string | null };
  record: Record<string, unknown>;
  arg_types?: string[] | Record<string, string>;
  expected: string | null;
  raises?: 'ValueError' | 'TypeError' | 'KeyError' | 'IndexError';
  error?: string;
  phase?: 'init' | 'format';
}

const dir = join(__dirname, '../../fixtures/python-logging');
const rows: VectorRow[] = readFileSync(join(dir, 'format.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as VectorRow);
const exclusions = JSON.parse(readFileSync(join(dir, 'format-exclusions.json'), 'utf8')) as Record<
  string,
  string
>;

// One runner, as plain JavaScript source, so that it can run in this worker or in a child process.
// JSON cannot say that 2.0 is a float: `arg_types` does, and PyFloat carries it to the renderer.
const RUNNER = String.raw`
  const toRecord = (row) => {
    const record = { ...row.record };
    const types = row.arg_types;
    const wrap = (v, t) => (t === 'float' && typeof v === 'number' ? new PyFloat(v) : v);
    if (Array.isArray(record.args) && Array.isArray(types)) record.args = record.args.map((v, i) => wrap(v, types[i]));
    else if (types && !Array.isArray(types) && record.args && typeof record.args === 'object') {
      const args = { ...record.args };
      for (const [k, t] of Object.entries(types)) args[k] = wrap(args[k], t);
      record.args = args;
    }
    return record;
  };
  const toOptions = (row) => {
    const options = { datefmt: row.datefmt };
    if (row.style !== undefined) options.style = row.style;
    if (row.validate !== undefined) options.validate = row.validate;
    if (row.defaults !== undefined) options.defaults = row.defaults;
    const attrs = row.formatter_attrs;
    if (attrs && attrs.default_time_format !== undefined) options.defaultTimeFormat = attrs.default_time_format;
    if (attrs && 'default_msec_format' in attrs) options.defaultMsecFormat = attrs.default_msec_format;
    return options;
  };
  const fail = (error, phase) => ({
    kind: 'error', phase, isPythonFormatError: error instanceof PythonFormatError,
    type: error.pythonType, errorPhase: error.phase, message: error.pythonMessage ?? String(error),
  });
  return rows.map((row) => {
    let compiled;
    try { compiled = compilePythonFormat(row.fmt, toOptions(row)); } catch (error) { return fail(error, 'init'); }
    try { return { kind: 'ok', text: compiled(toRecord(row)) }; } catch (error) { return fail(error, 'format'); }
  });
`;

type Outcome =
  | { kind: 'ok'; text: string }
  | {
      kind: 'error';
      phase: 'init' | 'format';
      isPythonFormatError: boolean;
      type: string;
      errorPhase: string;
      message: string;
    };

type Runner = (
  compile: typeof compilePythonFormat,
  pyFloat: typeof PyFloat,
  error: typeof PythonFormatError,
  rows: readonly VectorRow[],
) => Outcome[];

// The vectors were produced with TZ=UTC. Jest hands tests a copy of process.env, so assigning TZ here
// would not reach V8: when this worker's zone is not UTC, the rows run in a child process with TZ=UTC.
function runAll(): Outcome[] {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone === 'UTC' || zone === 'Etc/UTC') {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const runner = new Function(
      'compilePythonFormat',
      'PyFloat',
      'PythonFormatError',
      'rows',
      RUNNER,
    ) as Runner;
    return runner(compilePythonFormat, PyFloat, PythonFormatError, rows);
  }
  const req = (rel: string): string => JSON.stringify(join(__dirname, rel));
  const script = `
    const { compilePythonFormat } = require(${req('../../../formats/python/compile-python-format.ts')});
    const { PyFloat } = require(${req('../../../formats/python/py-float.ts')});
    const { PythonFormatError } = require(${req('../../../formats/python/python-format-error.ts')});
    const rows = require('node:fs').readFileSync(${JSON.stringify(join(dir, 'format.jsonl'))}, 'utf8')
      .split(String.fromCharCode(10)).filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    process.stdout.write(JSON.stringify((() => {${RUNNER}})()));`;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Outcome[];
}

function matches(row: VectorRow, outcome: Outcome): boolean {
  if (row.raises === undefined) return outcome.kind === 'ok' && outcome.text === row.expected;
  return (
    outcome.kind === 'error' &&
    outcome.isPythonFormatError &&
    outcome.phase === row.phase &&
    outcome.errorPhase === row.phase &&
    outcome.type === row.raises &&
    outcome.message === row.error
  );
}

describe('CPython format vectors (test/fixtures/python-logging/format.jsonl)', () => {
  const outcomes = runAll();
  const outcomeOf = new Map(rows.map((r, i) => [r.id, outcomes[i]]));

  it('has every row of the shared vector file', () => {
    expect(rows.length).toBeGreaterThan(300);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('excludes at most 3% of rows, each with a reason, each an existing row', () => {
    const ids = new Set(rows.map((r) => r.id));
    for (const [id, reason] of Object.entries(exclusions)) {
      expect(ids.has(id)).toBe(true);
      expect(reason.length).toBeGreaterThan(10);
    }
    expect(Object.keys(exclusions).length).toBeLessThanOrEqual(Math.floor(rows.length * 0.03));
  });

  it.each(rows.map((r) => [`${r.id} ${r.group}`, r] as const))('%s', (_title, row) => {
    const outcome = outcomeOf.get(row.id);
    if (outcome === undefined) throw new Error(`no outcome for ${row.id}`);
    if (Object.hasOwn(exclusions, row.id)) {
      // An excluded row that starts matching must leave the exclusion list.
      expect(matches(row, outcome)).toBe(false);
      return;
    }
    if (row.raises === undefined) {
      expect(outcome).toEqual({ kind: 'ok', text: row.expected });
    } else {
      expect(outcome).toEqual({
        kind: 'error',
        phase: row.phase,
        isPythonFormatError: true,
        type: row.raises,
        errorPhase: row.phase,
        message: row.error,
      });
    }
  });
});
