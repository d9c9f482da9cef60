import cluster from 'node:cluster';
import { isMainThread, threadId } from 'node:worker_threads';

/**
 * Node meanings of LogRecord's process and thread attributes, computed once per process:
 * `process` is the pid; `processName` is `MainProcess` (as Python's multiprocessing names the parent)
 * or `Worker-<id>` in a cluster worker; `thread` is worker_threads' `threadId` (0 on the main thread);
 * `threadName` is `MainThread` or `Thread-<threadId>` in a worker thread.
 */
export const PROCESS_INFO = Object.freeze({
  process: process.pid,
  processName: cluster.isWorker && cluster.worker ? `Worker-${cluster.worker.id}` : 'MainProcess',
  thread: threadId,
  threadName: isMainThread ? 'MainThread' : `Thread-${threadId}`,
});

/** Epoch milliseconds when the bundle was loaded: the zero of `relativeCreated` (Python: when logging was imported). */
export const LOAD_TIME = Date.now();
