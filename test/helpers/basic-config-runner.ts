/**
 * Runs one basicConfig scenario (test/fixtures/fidelity/basic-config/scenarios.json) in this process,
 * from its working directory, exactly as the CPython generator does: argv[2] is the scenario JSON,
 * argv[3] the file the result is written to. stdout/stderr are the real streams, read by the parent.
 */
import * as fs from 'node:fs';
import { PassThrough } from 'node:stream';
import winston from 'winston';
import type Transport from 'winston-transport';
import {
  basicConfig,
  getLogger,
  getRootLogger,
  pythonFormat,
  setPythonCompat,
  shutdown,
} from '../../src/index';

interface Scenario {
  id: string;
  compat?: boolean;
  pre?: boolean;
  existing_file?: string;
  handler_defs?: Record<string, { format?: string }>;
  kwargs: Record<string, unknown>;
  log: Array<[string, number, string]>;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as Scenario;
  if (spec.compat) setPythonCompat(true);
  if (spec.existing_file !== undefined) fs.writeFileSync('app.log', spec.existing_file);
  const outputs: Record<string, string> = {};
  const handlers: Record<string, Transport> = {};
  for (const [id, def] of Object.entries(spec.handler_defs ?? {})) {
    const stream = new PassThrough();
    outputs[id] = '';
    stream.on('data', (d: Buffer) => (outputs[id] += d.toString('utf8')));
    handlers[id] = new winston.transports.Stream({
      stream,
      eol: '\n',
      ...(def.format !== undefined ? { format: pythonFormat({ format: def.format }) } : {}),
    });
  }
  if (spec.pre) {
    getRootLogger().addHandler(
      new winston.transports.Stream({
        stream: process.stderr,
        eol: '\n',
        format: pythonFormat({ format: 'PRE %(message)s' }),
      }),
    );
  }
  const kw: Record<string, unknown> = { ...spec.kwargs };
  if (Array.isArray(kw.handlers)) kw.handlers = (kw.handlers as string[]).map((id) => handlers[id]);
  let error: { type: string; message: string } | null = null;
  try {
    basicConfig(kw);
  } catch (err) {
    error = { type: (err as Error).name, message: (err as Error).message };
  }
  // Python's logger.log(levelno, msg): a module logger takes level numbers (winston's typings only
  // declare names).
  if (error === null) for (const [name, level, msg] of spec.log) getLogger(name).log(String(level), msg);
  await shutdown();
  const result: Record<string, unknown> = {
    error,
    handlers: outputs,
    root_level: getRootLogger().levelno,
  };
  if (fs.existsSync('app.log')) result.file = fs.readFileSync('app.log', 'utf8');
  fs.writeFileSync(process.argv[3] ?? 'result.json', JSON.stringify(result));
}

void main();
