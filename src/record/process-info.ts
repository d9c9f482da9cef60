import type clusterModule from 'node:cluster';
import { isMainThread, threadId } from 'node:worker_threads';

/**
 * The cluster worker id of this process, or undefined outside a cluster worker. A cluster worker always
 * has an IPC channel (`process.send`) and Node loads `node:cluster` for it before any user code, so
 * requiring it there costs nothing; a process without a channel is never a cluster worker, and is spared
 * loading the module (it pulls in child_process and dgram: about 1 ms at import).
 */
function clusterWorkerId(): number | undefined {
  if (process.send === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cluster = require('node:cluster') as typeof clusterModule;
  return cluster.isWorker && cluster.worker ? cluster.worker.id : undefined;
}

const workerId = clusterWorkerId();

/**
 * Node meanings of LogRecord's process and thread attributes, computed once per process:
 * `process` is the pid; `processName` is `MainProcess` (as Python's multiprocessing names the parent)
 * or `Worker-<id>` in a cluster worker; `thread` is worker_threads' `threadId` (0 on the main thread);
 * `threadName` is `MainThread` or `Thread-<threadId>` in a worker thread.
 */
export const PROCESS_INFO = Object.freeze({
  process: process.pid,
  processName: workerId === undefined ? 'MainProcess' : `Worker-${workerId}`,
  thread: threadId,
  threadName: isMainThread ? 'MainThread' : `Thread-${threadId}`,
});

/** Epoch milliseconds when the bundle was loaded: the zero of `relativeCreated` (Python: when logging was imported). */
export const LOAD_TIME = Date.now();
