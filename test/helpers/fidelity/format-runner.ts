/**
 * Package side of the formatter fuzz cases, run as a child process (`node --require tsx/cjs`) so that
 * assigning `process.env.TZ` reaches V8 (Jest workers get a copy of process.env). Reads the cases as
 * JSON lines on stdin and writes one JSON line per case, in the oracle's shape.
 */
import { readFileSync } from 'node:fs';
import { compilePythonFormat } from '../../../formats/python/compile-python-format';
import { PyFloat } from '../../../formats/python/py-float';
import { PythonFormatError } from '../../../formats/python/python-format-error';
import type { FormatCase } from './format-cases';
import { toJs } from './values';

/** What one case produced: the text, or the exception's phase, Python type and message. */
export type FormatOutcome = { text: string } | { phase: string; type: string; message: string };

function failure(phase: string, err: unknown): FormatOutcome {
  if (err instanceof PythonFormatError) return { phase, type: err.pythonType, message: err.pythonMessage };
  const e = err as Error;
  return { phase, type: `JS ${e?.name}`, message: String(e?.message) };
}

/** Runs one case through `compilePythonFormat` (TZ must already be set for the process). */
export function runFormatCase(c: FormatCase): FormatOutcome {
  let f;
  try {
    const defaults: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.defaults ?? {})) defaults[k] = toJs(v);
    f = compilePythonFormat(c.fmt, {
      datefmt: c.datefmt,
      style: c.style,
      validate: c.validate,
      utc: c.utc,
      ...(c.defaults === null ? {} : { defaults }),
    });
  } catch (err) {
    return failure('init', err);
  }
  const record: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.record)) record[k] = toJs(v);
  // makeLogRecord: a tuple of args is the JS array the package's records carry.
  // The package's records carry created/msecs/relativeCreated as plain numbers (floats by name).
  for (const k of ['created', 'msecs', 'relativeCreated']) {
    const v = record[k];
    if (v instanceof PyFloat) record[k] = v.value;
  }
  const args = record.args as { items?: unknown[] } | undefined;
  if (args !== undefined && Array.isArray(args.items)) record.args = args.items;
  try {
    return { text: f(record) };
  } catch (err) {
    return failure('format', err);
  }
}

if (require.main === module) {
  const out: string[] = [];
  for (const line of readFileSync(0, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const c = JSON.parse(line) as FormatCase;
    if (process.env.TZ !== c.tz) process.env.TZ = c.tz;
    out.push(JSON.stringify(runFormatCase(c)));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
