import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { getLogContext } from '../../../src/context/get-log-context';
import { runWithLogContext } from '../../../src/context/run-with-log-context';

// A real worker thread, loading this checkout's source through tsx, started from inside a log context.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSX_CJS = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs');
const INDEX = path.join(ROOT, 'src', 'index.ts');

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
require(${JSON.stringify(TSX_CJS)});
const { createModuleLogger, getLogContext, pythonFormat, runWithLogContext } = require(${JSON.stringify(INDEX)});
const { Writable } = require('node:stream');
const winston = require('winston');
const lines = [];
const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk).trimEnd()); cb(); } });
const log = createModuleLogger('worker', {
  propagate: false,
  transports: [new winston.transports.Stream({ stream, eol: '\\n',
    format: pythonFormat({ format: '%(name)s [%(requestId)s] %(message)s', defaults: { requestId: '-' } }) })],
});
const inherited = getLogContext() ?? null;
log.info('in the worker');
// The way to carry it: pass the fields in workerData and open a context in the worker.
runWithLogContext(workerData.fields, () => log.info('in a context opened from workerData'));
parentPort.postMessage({ inherited, lines });
`;

function runWorker(fields: Record<string, unknown>): Promise<{ inherited: unknown; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { fields } });
    worker.once('message', (m: { inherited: unknown; lines: string[] }) => {
      void worker.terminate().then(() => resolve(m));
    });
    worker.once('error', reject);
  });
}

describe('log contexts and worker threads', () => {
  it('a worker started inside a context does not inherit it (AsyncLocalStorage stays in its thread)', async () => {
    const result = await runWithLogContext({ requestId: 'main-1' }, () => {
      expect(getLogContext()).toEqual({ requestId: 'main-1' });
      return runWorker({ ...getLogContext() });
    });
    expect(result.inherited).toBeNull();
    expect(result.lines).toEqual([
      'worker [-] in the worker',
      'worker [main-1] in a context opened from workerData',
    ]);
  }, 30_000);
});
