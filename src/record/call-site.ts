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

/**
 * Copies a captured call site's five fields onto a record or a stored document, under LogRecord's
 * names: the one copy for the shared LogRecord, `pythonFormat`'s own record and the MongoDB document.
 * Nothing is written when no call site was captured (capturing costs a stack walk, so it happens only
 * while a format asks for it).
 */
export function assignCallSite(
  target: { [K in keyof CallSiteInfo]?: CallSiteInfo[K] | null },
  cs: CallSiteInfo | undefined,
): void {
  if (cs === undefined) return;
  target.pathname = cs.pathname;
  target.filename = cs.filename;
  target.module = cs.module;
  target.lineno = cs.lineno;
  target.funcName = cs.funcName;
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
// caller. The published build is one file (dist/index.js, see scripts/build.ts) with this module inlined,
// plus the chunks beside it: its own frames are those files'. Run from source, file by file (ts-jest, tsx), only the package's source
// folders are skipped, so an app living under the package root (examples/, test/) is still found.
const BUNDLED = path.basename(__filename, path.extname(__filename)) !== 'call-site';
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const OWN = BUNDLED
  ? [__filename, path.join(__dirname, 'chunks') + path.sep]
  : ['src', 'formats', 'transports', 'dist'].map((d) => path.join(PACKAGE_ROOT, d) + path.sep);
const FOREIGN =
  /[\\/]node_modules[\\/](?:winston|winston-transport|logform|readable-stream|triple-beam|winston-pylogging)[\\/]/;

function isInternal(file: string | null): boolean {
  if (file === null || file.startsWith('node:') || (!file.includes('/') && !file.includes('\\'))) return true;
  if (FOREIGN.test(file)) return true;
  for (const own of OWN) if (file.startsWith(own)) return true;
  return false;
}

// Formats that render call-site fields, held weakly: loggers capture the call site only while at least
// one such format is alive (attached to a logger or transport in use). Once every such format has
// been dropped and collected, the capture stops; it is never switched on process-wide for good.
let demand = 0;
const released = new FinalizationRegistry<undefined>(() => {
  demand--;
});

/** Registers a format that renders call-site fields; loggers capture the call site while it lives. */
export function requireCallSite(owner: object): void {
  demand++;
  released.register(owner, undefined);
}

/** True while some live format renders `filename`, `lineno`, `funcName`, `module` or `pathname`. */
export function callSiteWanted(): boolean {
  return demand > 0;
}

// An ES module's top-level code is an unnamed frame called by the loader's ModuleJob.run (an unnamed
// callback is called by user code or a builtin instead): Python calls that frame '<module>'.
const ESM_TOP_LEVEL = /^\s*at (?:async )?ModuleJob\.run \(node:internal\/modules\/esm\//;

// One V8 frame line: `    at fn (file:line:col)` or `    at file:line:col`.
const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):\d+\)?$/;

function funcNameOf(raw: string | undefined): string {
  if (raw === undefined || raw === '') return '<anonymous>';
  let name = raw
    .replace(/^async /, '')
    .replace(/^new /, '')
    .replace(/ \[as [^\]]+\]$/, '');
  // CommonJS module-level code runs as `Object.<anonymous>`: Python calls that frame '<module>'.
  if (name === 'Object.<anonymous>' || name === '<anonymous>') return '<module>';
  const dot = name.lastIndexOf('.');
  if (dot !== -1) name = name.slice(dot + 1);
  return name || '<anonymous>';
}

/**
 * Finds the first stack frame outside the bundle, winston and Node internals: Python's `findCaller`.
 * It reads the rendered `stack` text rather than V8's structured frames so that source maps (tsx,
 * ts-node, `--enable-source-maps`) apply and `%(lineno)d` is the line in the file the user wrote.
 * Costs a stack capture (a few µs), which is why it only runs when a format asks for it.
 */
export function captureCallSite(): CallSiteInfo {
  const holder: { stack?: string } = {};
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  try {
    Error.captureStackTrace(holder, captureCallSite);
    const stack = holder.stack;
    if (typeof stack !== 'string') return UNKNOWN_CALL_SITE;
    const lines = stack.split('\n');
    for (let i = 1; i < lines.length; i++) {
      const m = FRAME.exec(lines[i] ?? '');
      if (m === null) continue;
      let file = m[2] ?? '';
      if (isInternal(file)) continue;
      if (file.startsWith('file:')) file = fileURLToPath(file);
      const filename = path.basename(file);
      const ext = path.extname(filename);
      return {
        pathname: file,
        filename,
        module: ext ? filename.slice(0, -ext.length) : filename,
        lineno: Number(m[3]),
        funcName:
          m[1] === undefined && ESM_TOP_LEVEL.test(lines[i + 1] ?? '') ? '<module>' : funcNameOf(m[1]),
      };
    }
    return UNKNOWN_CALL_SITE;
  } catch {
    return UNKNOWN_CALL_SITE;
  } finally {
    Error.stackTraceLimit = savedLimit;
  }
}
