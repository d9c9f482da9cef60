import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePythonFormat } from '../../../../formats/python/compile-python-format';
import { PyFloat } from '../../../../formats/python/py-float';
import type { PythonFormatError } from '../../../../formats/python/python-format-error';
import { toJs } from '../../../helpers/fidelity/values';
import type { TaggedValue } from '../../../helpers/fidelity/values';

// The minimal reproducers of issue 11's formatter root causes, rendered by CPython 3.11
// (test/fixtures/fidelity/gen_issue_vectors.py, with converter = time.gmtime so no zone is involved).
interface Row {
  fmt: string;
  style: '%' | '{' | '$';
  datefmt: string | null;
  validate: boolean;
  record: Record<string, TaggedValue>;
  expected: { text: string } | { phase: string; type: string; message: string };
}
const { rows } = JSON.parse(
  readFileSync(join(__dirname, '../../../fixtures/fidelity/issue-vectors.json'), 'utf8'),
) as { rows: Row[] };

function outcome(row: Row): Row['expected'] {
  const record: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row.record)) {
    const js = toJs(v);
    // The package's records carry created/msecs as plain numbers (floats by name).
    record[k] = js instanceof PyFloat && (k === 'created' || k === 'msecs') ? js.value : js;
  }
  let f;
  try {
    f = compilePythonFormat(row.fmt, {
      style: row.style,
      datefmt: row.datefmt,
      validate: row.validate,
      utc: true,
    });
  } catch (err) {
    const e = err as PythonFormatError;
    return { phase: 'init', type: e.pythonType, message: e.pythonMessage };
  }
  try {
    return { text: f(record) };
  } catch (err) {
    const e = err as PythonFormatError;
    return { phase: 'format', type: e.pythonType, message: e.pythonMessage };
  }
}

describe('issue 11 reproducers (CPython 3.11 output)', () => {
  it.each(rows.map((r) => [`${r.fmt} ${r.datefmt ?? ''}`, r] as const))('%s', (_name, row) => {
    expect(outcome(row)).toEqual(row.expected);
  });
});
