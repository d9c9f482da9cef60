/**
 * Package side of the logger-tree fuzz cases (a child process run with LOG_LEVEL=WARNING, CPython's
 * root level): each program runs on a fresh tree in compatibility mode (setPythonCompat(true)), with
 * capture handlers in CPython's default format. stderr (the last resort and error reports) is
 * collected per program by the harness.
 */
import * as fs from 'node:fs';
import { PassThrough } from 'node:stream';
import winston from 'winston';
import type Transport from 'winston-transport';
import {
  addLevelName,
  configureLogging,
  disableLogging,
  getLogger,
  getRootLogger,
  pythonFormat,
  resetLogging,
  setPythonCompat,
  winstonLevelNameOf,
} from './tree-api';
import type { TreeCase } from './logger-cases';

const TREE_FORMAT = '%(name)s:%(levelname)s:%(message)s';

function loggerOf(name: string): ReturnType<typeof getLogger> {
  return name === '' ? getRootLogger() : getLogger(name);
}

/** Runs one program; resolves to what each handler received, stderr, and the calls that threw. */
export async function runTreeCase(c: TreeCase): Promise<unknown> {
  resetLogging();
  setPythonCompat(true);
  // The bundle installs a seed-format console when an unconfigured app logs (its "preconfigured
  // logger"); a configured tree falls back to the last resort as CPython does. An incremental-only
  // config marks the tree configured without adding anything.
  configureLogging({ version: 1, incremental: true });
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk: string | Uint8Array): boolean => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const outputs: Record<string, string> = {};
  const handlers: Record<string, Transport> = {};
  const errors: Array<[number, string, string]> = [];
  try {
    for (const [i, op] of c.ops.entries()) {
      try {
        switch (op.op) {
          case 'setLevel':
            loggerOf(op.logger).setLevel(op.level as never);
            break;
          case 'addHandler': {
            const stream = new PassThrough();
            outputs[op.id] = '';
            stream.on('data', (d: Buffer) => (outputs[op.id] += d.toString('utf8')));
            const t = new winston.transports.Stream({
              stream,
              eol: '\n',
              format: pythonFormat({ format: TREE_FORMAT }),
              level: winstonLevelNameOf(op.level),
            });
            handlers[op.id] = t;
            loggerOf(op.logger).addHandler(t);
            break;
          }
          case 'removeHandler': {
            const t = handlers[op.id];
            if (t !== undefined) loggerOf(op.logger).removeHandler(t);
            break;
          }
          case 'propagate':
            loggerOf(op.logger).propagate = op.value;
            break;
          case 'disable':
            disableLogging(op.level);
            break;
          case 'addLevelName':
            addLevelName(op.level, op.name);
            break;
          case 'log':
            (loggerOf(op.logger).log as (...a: unknown[]) => unknown)(op.level, op.msg, ...op.args);
            break;
          default: {
            const fn = (loggerOf(op.logger) as unknown as Record<string, (...a: unknown[]) => unknown>)[
              op.method
            ];
            fn?.call(loggerOf(op.logger), op.msg, ...op.args);
          }
        }
      } catch (err) {
        const e = err as Error;
        errors.push([i, e.name === 'ConfigError' ? 'ValueError' : e.name, e.message]);
      }
    }
    for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r));
  } finally {
    process.stderr.write = write;
  }
  // The package condenses CPython's multi-line `--- Logging error ---` report to one line.
  stderr = stderr.replace(/^--- Logging error ---.*$/gm, '--- Logging error ---');
  return { handlers: outputs, stderr, errors };
}

if (require.main === module) {
  void (async () => {
    const out: string[] = [];
    for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      out.push(JSON.stringify(await runTreeCase(JSON.parse(line) as TreeCase)));
    }
    process.stdout.write(`${out.join('\n')}\n`);
  })();
}
