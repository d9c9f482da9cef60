import type Transport from 'winston-transport';
import { pythonFormat } from '../../formats/python-format';
import { PythonFormatError } from '../../formats/python/python-format-error';
import { ConfigError, describeValue } from '../errors';
import { getRootLogger } from '../logger/create-module-logger';
import { registry } from '../logger/registry';
import { checkLevelStrict, toLevelNo } from '../record/levels';
import type { LevelLike } from '../record/levels';
import { buildHandler } from './config-handlers';
import { removeDefaultHandler } from '../logger/default-handler';

/** Options of {@link basicConfig}: CPython's `logging.basicConfig` keywords, with the same names. */
export interface BasicConfigOptions {
  /** Level of the root logger (a name or a number). Unchanged when omitted. */
  level?: LevelLike;
  /** Format of the handlers created (and of given handlers without a format). @defaultValue the style's `'%(levelname)s:%(name)s:%(message)s'` */
  format?: string;
  /** strftime format for `%(asctime)s`. @defaultValue null */
  datefmt?: string | null;
  /** Format style: `'%'`, `'{'` or `'$'`. @defaultValue '%' */
  style?: '%' | '{' | '$';
  /** Transports to put on the root (a transport that already has a `format` keeps it). Not with `stream`/`filename`. */
  handlers?: Transport[];
  /** Log to this file (CPython's FileHandler: no rotation) instead of a stream. Not with `stream`. */
  filename?: string;
  /** `'a'` appends, `'w'` truncates the file first. @defaultValue 'a' */
  filemode?: 'a' | 'w';
  /** Stream of the console handler: `'stderr'`, `'stdout'` or a writable stream. @defaultValue 'stderr' */
  stream?: NodeJS.WritableStream | 'stderr' | 'stdout';
  /** Remove (and end) the root's handlers first, so the configuration applies even when some exist. @defaultValue false */
  force?: boolean;
  /** Encoding of `filename`. @defaultValue 'utf8' */
  encoding?: string;
  /** CPython's encoding error handler name; accepted for compatibility (Node replaces what it cannot encode). @defaultValue 'backslashreplace' */
  errors?: string;
}

const KEYWORDS = [
  'level',
  'format',
  'datefmt',
  'style',
  'handlers',
  'filename',
  'filemode',
  'stream',
  'force',
  'encoding',
  'errors',
];
const DEFAULT_FORMATS = {
  '%': '%(levelname)s:%(name)s:%(message)s',
  '{': '{levelname}:{name}:{message}',
  $: '${levelname}:${name}:${message}',
} as const;

function fail(message: string): never {
  throw new ConfigError(message);
}

function isTransport(value: unknown): value is Transport {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { log?: unknown }).log === 'function' &&
    typeof (value as { on?: unknown }).on === 'function'
  );
}

/**
 * CPython's `logging.basicConfig(**kwargs)` for the bundle's root logger: when the root has no handler
 * (or with `force`), adds a console handler (stderr, or `stream`), a file handler (`filename`,
 * `filemode`, `encoding`) or the given `handlers`, formatted with `format`/`datefmt`/`style`
 * (default `'%(levelname)s:%(name)s:%(message)s'`), and sets the root's `level`. When the root already
 * has handlers it does nothing, as CPython does (the automatic console installed for an unconfigured
 * app does not count: it stands in for CPython's last resort).
 *
 * Errors are CPython's (`Unrecognised argument(s): levle`, `'stream' and 'filename' should not be
 * specified together`, `Style must be one of: %,{,$`, an invalid format, an unknown level), thrown as a
 * {@link ConfigError} before anything changes.
 *
 * @throws {@link ConfigError} for a bad keyword, combination or value.
 * @example
 * ```ts
 * basicConfig({ level: 'INFO', handlers: [fileTransport, consoleTransport] });
 * ```
 */
export function basicConfig(options: BasicConfigOptions = {}): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail(`basicConfig: ${describeValue(options)} is not allowed; use an object of keyword arguments`);
  }
  const kw = options as Record<string, unknown>;
  const force = kw.force;
  if (force !== undefined && typeof force !== 'boolean') {
    fail(`force: ${describeValue(force)} is not allowed; use true or false`);
  }
  const root = getRootLogger();
  const autoRemovable = root.handlers.length > 0 && !force;
  if (autoRemovable) {
    // Only the automatic console there: it does not count (CPython's lastResort is not a handler).
    const others = root.handlers.length;
    if (others > 1 || !removeDefaultHandler()) return;
  }
  // Everything is checked before anything changes (CPython adds the handlers, then raises for an
  // unknown keyword; here a bad call changes nothing). The first problem is CPython's first error.
  const has = (k: string): boolean => Object.hasOwn(kw, k) && kw[k] !== undefined;
  const handlers = kw.handlers;
  if (!has('handlers')) {
    if (has('stream') && has('filename')) fail("'stream' and 'filename' should not be specified together");
  } else if (has('stream') || has('filename')) {
    fail("'stream' or 'filename' should not be specified together with 'handlers'");
  }
  if (has('handlers') && (!Array.isArray(handlers) || !handlers.every(isTransport))) {
    fail(`handlers: ${describeValue(handlers)} is not allowed; use an array of winston transports`);
  }
  const style = kw.style ?? '%';
  if (style !== '%' && style !== '{' && style !== '$') fail('Style must be one of: %,{,$');
  const filemode = kw.filemode ?? 'a';
  if (filemode !== 'a' && filemode !== 'w') {
    fail(`filemode: ${describeValue(filemode)} is not allowed; use 'a' or 'w'`);
  }
  for (const key of ['filename', 'encoding', 'errors', 'format'] as const) {
    if (has(key) && typeof kw[key] !== 'string') {
      fail(`${key}: ${describeValue(kw[key])} is not allowed; use a string`);
    }
  }
  const stream = kw.stream;
  if (has('stream') && stream !== 'stderr' && stream !== 'stdout' && !isWritable(stream)) {
    fail(`stream: ${describeValue(stream)} is not allowed; use 'stderr', 'stdout' or a writable stream`);
  }
  let format;
  try {
    format = pythonFormat({
      format: (kw.format as string | undefined) ?? DEFAULT_FORMATS[style],
      datefmt: (kw.datefmt as string | null | undefined) ?? null,
      style,
    });
  } catch (err) {
    if (err instanceof PythonFormatError) fail(err.pythonMessage);
    throw err;
  }
  let level: number | undefined;
  if (has('level')) {
    level = registry.pythonCompat ? checkLevelStrict(kw.level) : toLevelNo(kw.level, 'level');
  }
  const unknown = Object.keys(kw).filter((k) => !KEYWORDS.includes(k));
  if (unknown.length > 0) fail(`Unrecognised argument(s): ${unknown.join(', ')}`);

  // CPython's `if filename:` — an empty file name means the console.
  const filename = kw.filename as string | undefined;
  const created: Transport[] = [];
  if (!has('handlers')) {
    created.push(
      filename
        ? buildHandler({
            kind: 'file',
            level: undefined,
            format,
            options: {
              filename,
              mode: filemode,
              ...(has('encoding') ? { encoding: kw.encoding } : {}),
            },
          })
        : buildHandler({ kind: 'console', level: undefined, format, options: { stream } }),
    );
  }
  if (force) {
    for (const t of [...root.handlers]) {
      root.removeHandler(t);
      try {
        t.end();
      } catch {
        // A transport failing while it closes must not stop the new configuration.
      }
    }
  }
  for (const t of has('handlers') ? (handlers as Transport[]) : created) {
    if (t.format === undefined) t.format = format;
    root.addHandler(t);
  }
  if (level !== undefined) root.setLevel(level);
  registry.configured = true;
}

function isWritable(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && typeof (value as { write?: unknown }).write === 'function'
  );
}
