import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a log call was made: LogRecord's call-site attributes. */
export interface CallSiteInfo {
  pathname: string;
  filename: string;
  module: string;
  lineno: number;
  funcName: string;
}

/** What Python records when the caller cannot be found. */
export const UNKNOWN_CALL_SITE: CallSiteInfo = Object.freeze({
  pathname: '(unknown file)',
  filename: '(unknown file)',
  module: 'Unknown module',
  lineno: 0,
  funcName: '(unknown function)',
});

// Frames inside this package's own code, winston's stream machinery or Node internals are never the
// caller. Only the bundle's source folders are skipped, so an app living under the package root
// (examples/, test/) is still found.
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const OWN_DIRS = ['src', 'formats', 'transports', 'dist'].map((d) => path.join(PACKAGE_ROOT, d) + path.sep);
const FOREIGN = /[\\/]node_modules[\\/](?:winston|winston-transport|logform|readable-stream|triple-beam)[\\/]/;

function isInternal(file: string | null): boolean {
  if (file === null || file.startsWith('node:') || !file.includes('/') && !file.includes('\\')) return true;
  if (FOREIGN.test(file)) return true;
  for (const dir of OWN_DIRS) if (file.startsWith(dir)) return true;
  return false;
}

let demand = 0;

/** Registers a format that renders call-site fields; from then on loggers capture the call site. */
export function requireCallSite(): void {
  demand++;
}

/** True when some format built so far renders `filename`, `lineno`, `funcName`, `module` or `pathname`. */
export function callSiteWanted(): boolean {
  return demand > 0;
}

/**
 * Finds the first stack frame outside the bundle, winston and Node internals: Python's `findCaller`.
 * Costs a stack capture (a few µs), which is why it only runs when a format asks for it.
 */
export function captureCallSite(): CallSiteInfo {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const saved = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_e, frames) => frames;
  Error.stackTraceLimit = 64;
  try {
    Error.captureStackTrace(holder, captureCallSite);
    const frames = holder.stack;
    if (!Array.isArray(frames)) return UNKNOWN_CALL_SITE;
    for (const frame of frames) {
      let file = frame.getFileName() ?? null;
      if (isInternal(file) || file === null) continue;
      if (file.startsWith('file:')) file = fileURLToPath(file);
      const filename = path.basename(file);
      const ext = path.extname(filename);
      const fn = frame.getFunctionName();
      return {
        pathname: file,
        filename,
        module: ext ? filename.slice(0, -ext.length) : filename,
        lineno: frame.getLineNumber() ?? 0,
        // V8 has no name for module-level code (Python: '<module>') or for arrow functions ('<anonymous>').
        funcName: fn ?? (frame.isToplevel() ? '<anonymous>' : '<module>'),
      };
    }
    return UNKNOWN_CALL_SITE;
  } catch {
    return UNKNOWN_CALL_SITE;
  } finally {
    Error.prepareStackTrace = saved;
    Error.stackTraceLimit = savedLimit;
  }
}
