import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePythonFormat } from '../../../formats/compile-python-format';
import type { CompilePythonFormatOptions } from '../../../formats/compile-python-format';
import { PyFloat } from '../../../src/internal/py-float';
import { PythonFormatError } from '../../../src/python-format-error';
import type { PythonLogRecord } from '../../../src/python-log-record';

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

// JSON cannot say that 2.0 is a float: `arg_types` does, and PyFloat carries it to the renderer.
function toRecord(row: VectorRow): PythonLogRecord {
  const record: PythonLogRecord = { ...row.record };
  const types = row.arg_types;
  if (Array.isArray(record.args) && Array.isArray(types)) {
    record.args = record.args.map((v: unknown, i) =>
      types[i] === 'float' && typeof v === 'number' ? new PyFloat(v) : v,
    );
  } else if (
    types !== undefined &&
    !Array.isArray(types) &&
    record.args !== null &&
    typeof record.args === 'object'
  ) {
    const args = { ...(record.args as Record<string, unknown>) };
    for (const [k, t] of Object.entries(types)) {
      const v = args[k];
      if (t === 'float' && typeof v === 'number') args[k] = new PyFloat(v);
    }
    record.args = args;
  }
  return record;
}

function toOptions(row: VectorRow): CompilePythonFormatOptions {
  const options: CompilePythonFormatOptions = { datefmt: row.datefmt };
  if (row.style !== undefined) options.style = row.style as '%';
  if (row.validate !== undefined) options.validate = row.validate;
  if (row.defaults !== undefined) options.defaults = row.defaults;
  const attrs = row.formatter_attrs;
  if (attrs?.default_time_format !== undefined) options.defaultTimeFormat = attrs.default_time_format;
  if (attrs !== undefined && 'default_msec_format' in attrs)
    options.defaultMsecFormat = attrs.default_msec_format ?? null;
  return options;
}

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; error: unknown; phase: 'init' | 'format' };

function run(row: VectorRow): Outcome {
  let compiled;
  try {
    compiled = compilePythonFormat(row.fmt, toOptions(row));
  } catch (error) {
    return { kind: 'error', error, phase: 'init' };
  }
  try {
    return { kind: 'ok', text: compiled(toRecord(row)) };
  } catch (error) {
    return { kind: 'error', error, phase: 'format' };
  }
}

function matches(row: VectorRow, outcome: Outcome): boolean {
  if (row.raises === undefined) return outcome.kind === 'ok' && outcome.text === row.expected;
  if (outcome.kind !== 'error' || outcome.phase !== row.phase) return false;
  const err = outcome.error;
  return (
    err instanceof PythonFormatError &&
    err.pythonType === row.raises &&
    err.phase === row.phase &&
    err.pythonMessage === row.error
  );
}

describe('CPython format vectors (test/fixtures/python-logging/format.jsonl)', () => {
  const savedTz = process.env.TZ;
  beforeAll(() => {
    // The vectors were produced with TZ=UTC; Node re-reads TZ when process.env.TZ is assigned.
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

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
    const outcome = run(row);
    if (Object.hasOwn(exclusions, row.id)) {
      // An excluded row that starts matching must leave the exclusion list.
      expect(matches(row, outcome)).toBe(false);
      return;
    }
    if (row.raises === undefined) {
      if (outcome.kind === 'error') throw outcome.error;
      expect(outcome.text).toBe(row.expected);
    } else {
      expect(outcome.kind).toBe('error');
      if (outcome.kind !== 'error') return;
      expect(outcome.error).toBeInstanceOf(PythonFormatError);
      const err = outcome.error as PythonFormatError;
      expect({
        type: err.pythonType,
        phase: err.phase,
        phaseSeen: outcome.phase,
        message: err.pythonMessage,
      }).toEqual({
        type: row.raises,
        phase: row.phase,
        phaseSeen: row.phase,
        message: row.error,
      });
    }
  });
});
