import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// %(processName)s and %(threadName)s in real processes and threads: a cluster primary and its worker, a
// child forked with an IPC channel that is not a cluster worker, and a worker thread. The cluster module is
// only consulted in a process with an IPC channel (it is not loaded at import otherwise), so each kind of
// process is checked for real.
describe('process and thread attributes', () => {
  it('names the cluster worker, the forked child, the primary and a worker thread', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'process-info-'));
    try {
      const record = path.join(__dirname, '../../src/record/process-info.ts');
      const file = path.join(dir, 'app.cjs');
      fs.writeFileSync(
        file,
        `
        const cluster = require('node:cluster');
        const { fork } = require('node:child_process');
        const { Worker } = require('node:worker_threads');
        const { PROCESS_INFO } = require(${JSON.stringify(record)});
        const me = PROCESS_INFO.processName + '/' + PROCESS_INFO.threadName + '/' + PROCESS_INFO.thread;
        if (process.env.ROLE === 'thread') require('node:worker_threads').parentPort.postMessage(me);
        else if (cluster.isWorker || process.env.ROLE === 'forked') { process.send(me); process.disconnect(); }
        else {
          const seen = ['primary ' + me];
          const done = () => { if (seen.length === 4) process.stdout.write(seen.sort().join('; ')); };
          cluster.fork().on('message', (m) => { seen.push('cluster ' + m); done(); });
          fork(__filename, { env: { ...process.env, ROLE: 'forked' } }).on('message', (m) => { seen.push('forked ' + m); done(); });
          const w = new Worker(__filename, { env: { ...process.env, ROLE: 'thread' } });
          // The thread's id is Node's (tsx's loader has a thread of its own): compare with the Worker's.
          w.on('message', (m) => { seen.push('thread ' + m.replace('-' + w.threadId + '/' + w.threadId, '-<id>/<id>')); done(); });
        }
        `,
      );
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], {
        encoding: 'utf8',
        cwd: path.join(__dirname, '../..'),
      });
      expect(out).toBe(
        'cluster Worker-1/MainThread/0; forked MainProcess/MainThread/0; ' +
          'primary MainProcess/MainThread/0; thread MainProcess/Thread-<id>/<id>',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
