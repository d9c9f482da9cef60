import { format } from 'logform';
import type { Format, TransformableInfo } from 'logform';
import { LEVEL, MESSAGE } from 'triple-beam';
import winston from 'winston';
import type Transport from 'winston-transport';
import { RotatingFileTransport } from '../../transports/rotating-file';
import { describeValue } from '../errors';
import { levelInfo } from '../record/levels';
import { NullTransport } from './null-transport';

/** The handler kinds configureLogging can build, by short name. */
export type HandlerKind = 'console' | 'file' | 'rotating_file' | 'timed_rotating_file' | 'mongodb' | 'null';

/** Python's class names (and the short names) mapped to a handler kind. */
export const HANDLER_CLASSES: Readonly<Record<string, HandlerKind>> = {
  console: 'console',
  stream: 'console',
  'logging.StreamHandler': 'console',
  file: 'file',
  'logging.FileHandler': 'file',
  rotating_file: 'rotating_file',
  'logging.handlers.RotatingFileHandler': 'rotating_file',
  timed_rotating_file: 'timed_rotating_file',
  'logging.handlers.TimedRotatingFileHandler': 'timed_rotating_file',
  mongodb: 'mongodb',
  mongo: 'mongodb',
  null: 'null',
  'logging.NullHandler': 'null',
};

/** Keys every handler entry may have besides the transport's options. */
export const COMMON_HANDLER_KEYS = ['class', 'level', 'formatter', 'filters'] as const;

const FILE_KEYS = ['filename', 'mode', 'encoding', 'delay', 'errors'];
const ROTATING_KEYS = [
  ...FILE_KEYS,
  'maxBytes',
  'backupCount',
  'fileMode',
  'terminator',
  'gzip',
  'namer',
  'rotator',
  'multiprocess',
  'maxQueuedBytes',
  'maxQueuedRecords',
  'bufferSize',
  'retryInterval',
  'lockStaleMs',
  'faultsToStderr',
];

/**
 * Transport option keys per kind; `undefined` means the transport validates its own options (classes
 * written elsewhere in the bundle whose option list this module does not repeat).
 */
export const HANDLER_OPTION_KEYS: Readonly<Record<HandlerKind, readonly string[] | undefined>> = {
  console: ['stream', 'color'],
  file: FILE_KEYS,
  rotating_file: ROTATING_KEYS,
  timed_rotating_file: undefined,
  mongodb: undefined,
  null: [],
};

type TransportClass = new (options: Record<string, unknown>) => Transport;

/**
 * Where the transports that live in their own modules are found. They are loaded when a config asks for
 * them, so a build without one of them (or without the `mongodb` driver) fails at config time with a
 * ConfigError naming the handler, not at import time. Each is a literal `require()` so that the build
 * (scripts/build.ts) sees it and ships the module as a chunk loaded on first use.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const LAZY: Partial<
  Record<HandlerKind, { file: string; exportName: string; load: () => Record<string, unknown> }>
> = {
  timed_rotating_file: {
    file: 'timed-rotating-file',
    exportName: 'TimedRotatingFileTransport',
    load: () => require('../../transports/timed-rotating-file') as Record<string, unknown>,
  },
  mongodb: {
    file: 'mongo/mongo-transport',
    exportName: 'MongoTransport',
    load: () => require('../../transports/mongo/mongo-transport') as Record<string, unknown>,
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Returns the transport class for a lazily loaded kind, or a sentence saying why it is unavailable. */
export function loadTransportClass(kind: HandlerKind): TransportClass | string {
  const where = LAZY[kind];
  if (where === undefined) return `no transport module for ${kind}`;
  let mod: Record<string, unknown>;
  try {
    // A plain require keeps the optional transports (and the mongodb driver) out of the load path of
    // apps that never configure them.
    mod = where.load();
  } catch (err) {
    return `the ${where.exportName} transport could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
  const cls = mod[where.exportName];
  if (typeof cls !== 'function') return `transports/${where.file} does not export ${where.exportName}`;
  return cls as TransportClass;
}

/** ANSI colours by Python level number, for consoles that asked for `color: true`. */
function colourOf(levelno: number): string {
  if (levelno >= 50) return '\u001b[1;31m';
  if (levelno >= 40) return '\u001b[31m';
  if (levelno >= 30) return '\u001b[33m';
  if (levelno >= 20) return '\u001b[32m';
  return '\u001b[36m';
}

const colourLine = format((info: TransformableInfo) => {
  const line = (info as Record<symbol, unknown>)[MESSAGE];
  if (typeof line !== 'string') return info;
  const lvl = (info as Record<symbol, unknown>)[LEVEL] ?? info.level;
  const no = levelInfo(typeof lvl === 'string' ? lvl : String(lvl)).levelno;
  (info as Record<symbol, unknown>)[MESSAGE] = `${colourOf(no)}${line}\u001b[0m`;
  return info;
});

/** The console streams a handler's `stream` may name, as CPython's `ext://sys.*` or plainly. */
export const CONSOLE_STREAMS = ['ext://sys.stderr', 'ext://sys.stdout', 'stderr', 'stdout'] as const;

/** Resolves a console handler's `stream`: a name from {@link CONSOLE_STREAMS} (default stderr) or a writable stream. */
export function consoleStream(value: unknown): NodeJS.WritableStream {
  if (value === 'ext://sys.stdout' || value === 'stdout') return process.stdout;
  if (value !== null && typeof value === 'object') return value as NodeJS.WritableStream;
  return process.stderr;
}

/** Everything needed to build one handler; validated before. */
export interface HandlerSpec {
  kind: HandlerKind;
  /** winston level name, or undefined for NOTSET. */
  level: string | undefined;
  /** The combined handler format (filters, then the Python formatter). */
  format: Format;
  /** The transport options (Python's kwargs), without class/level/formatter/filters. */
  options: Record<string, unknown>;
}

/** Builds a transport from a validated spec. Transport constructors may still throw a ConfigError. */
export function buildHandler(spec: HandlerSpec): Transport {
  const { kind, options } = spec;
  const base: Record<string, unknown> = { format: spec.format };
  if (spec.level !== undefined) base.level = spec.level;
  switch (kind) {
    case 'console': {
      const stream = consoleStream(options.stream);
      const fmt =
        options.color === true && (stream as { isTTY?: unknown }).isTTY === true
          ? format.combine(spec.format, colourLine())
          : spec.format;
      // winston's Stream transport writes `line + eol` to the stream itself, as CPython's StreamHandler
      // does (winston's Console goes through the global console, which test runners and APMs replace).
      return new winston.transports.Stream({
        ...(base as object),
        format: fmt,
        stream,
        eol: '\n',
      });
    }
    case 'file':
    case 'rotating_file': {
      const { errors: _errors, ...rest } = options;
      const opts = kind === 'file' ? { ...rest, maxBytes: 0, backupCount: 0 } : rest;
      return new RotatingFileTransport({ ...base, ...opts } as unknown as ConstructorParameters<
        typeof RotatingFileTransport
      >[0]);
    }
    case 'null':
      return new NullTransport(base);
    default: {
      const cls = loadTransportClass(kind);
      if (typeof cls === 'string') throw new Error(cls);
      return new cls({ ...base, ...options });
    }
  }
}

/** Describes a value for an allowed-list sentence. */
export function allowedList(values: readonly string[]): string {
  return values.map((v) => describeValue(v)).join(', ');
}
