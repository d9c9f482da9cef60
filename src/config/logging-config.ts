import type Transport from 'winston-transport';
import type { LevelLike } from '../record/levels';
import type { LoggerFilter } from '../logger/module-logger';
import type { MongoTransportOptions } from '../../transports/mongo/mongo-transport';
import type { RotatingFileTransportOptions } from '../../transports/rotating-file';
import type { TimedRotatingFileTransportOptions } from '../../transports/timed-rotating-file';

/** A formatter entry of {@link DictLoggingConfig.formatters}: the arguments of Python's `logging.Formatter`. */
export interface FormatterConfig {
  /** The format string. @defaultValue `'%(message)s'` */
  format?: string | null;
  /** The `asctime` date format (strftime). @defaultValue `'%Y-%m-%d %H:%M:%S,mmm'` */
  datefmt?: string | null;
  /** `'%'`, `'{'` or `'$'`. @defaultValue `'%'` */
  style?: '%' | '{' | '$';
  /** Check the format string when the config is applied (CPython's default). @defaultValue true */
  validate?: boolean;
  /** Values for fields a record does not carry (Python 3.12's `defaults`). */
  defaults?: Record<string, unknown>;
  /** Accepted for CPython compatibility; only `'logging.Formatter'` is allowed. */
  class?: string;
}

/**
 * A filter entry of {@link DictLoggingConfig.filters}: `{ name }` is Python's `logging.Filter(name)`
 * (keeps that logger and its dotted descendants); `{ exclude }` is this bundle's extension (drops them).
 */
export interface FilterConfig {
  /** Keep only this logger and its dotted descendants (`''` keeps everything). */
  name?: string;
  /** Drop these loggers and their dotted descendants. */
  exclude?: string | string[];
}

/** What every handler entry may have besides its class and the transport's options. */
export interface HandlerCommonConfig {
  /** The handler's level (records below it are skipped by this handler only). @defaultValue NOTSET */
  level?: LevelLike;
  /** Id of an entry of `formatters`. @defaultValue Python's `'%(message)s'` */
  formatter?: string;
  /** Ids of entries of `filters`, or filter functions. */
  filters?: Array<string | LoggerFilter>;
}

/** Keys of winston's transport options that a handler entry does not take (it has `level`/`formatter`). */
type TransportKeys = keyof Transport.TransportStreamOptions;

/** `class: 'console'` (`logging.StreamHandler`): lines on stderr, or on stdout. */
export interface ConsoleHandlerConfig extends HandlerCommonConfig {
  class: 'console' | 'stream' | 'logging.StreamHandler';
  /** `'ext://sys.stderr'` (default, as CPython), `'ext://sys.stdout'`, or a writable stream. */
  stream?: 'ext://sys.stderr' | 'ext://sys.stdout' | 'stderr' | 'stdout' | NodeJS.WritableStream;
  /** Colour the line by level when the stream is a TTY. @defaultValue false */
  color?: boolean;
}

/** `class: 'file'` (`logging.FileHandler`): one file that never rolls over. */
export interface FileHandlerConfig
  extends
    HandlerCommonConfig,
    Pick<RotatingFileTransportOptions, 'filename' | 'mode' | 'encoding' | 'delay'> {
  class: 'file' | 'logging.FileHandler';
  /** Python's `errors` argument; accepted and ignored (Node replaces what it cannot encode). */
  errors?: string;
}

/** `class: 'rotating_file'` (`logging.handlers.RotatingFileHandler`): the {@link RotatingFileTransport} options. */
export interface RotatingFileHandlerConfig
  extends
    HandlerCommonConfig,
    Pick<
      RotatingFileTransportOptions,
      | 'filename'
      | 'mode'
      | 'encoding'
      | 'delay'
      | 'maxBytes'
      | 'backupCount'
      | 'fileMode'
      | 'terminator'
      | 'gzip'
      | 'namer'
      | 'rotator'
      | 'multiprocess'
      | 'maxQueuedBytes'
      | 'retryInterval'
      | 'lockStaleMs'
      | 'faultsToStderr'
    > {
  class: 'rotating_file' | 'logging.handlers.RotatingFileHandler';
  /** Python's `errors` argument; accepted and ignored (Node replaces what it cannot encode). */
  errors?: string;
}

/** `class: 'timed_rotating_file'` (`logging.handlers.TimedRotatingFileHandler`): the {@link TimedRotatingFileTransport} options. */
export interface TimedRotatingFileHandlerConfig
  extends HandlerCommonConfig, Omit<TimedRotatingFileTransportOptions, TransportKeys> {
  class: 'timed_rotating_file' | 'logging.handlers.TimedRotatingFileHandler';
}

/** `class: 'mongodb'`: the {@link MongoTransport} options. */
export interface MongoHandlerConfig extends HandlerCommonConfig, Omit<MongoTransportOptions, TransportKeys> {
  class: 'mongodb' | 'mongo';
}

/** `class: 'null'` (`logging.NullHandler`): swallows records. */
export interface NullHandlerConfig extends HandlerCommonConfig {
  class: 'null' | 'logging.NullHandler';
}

/**
 * A handler entry of {@link DictLoggingConfig.handlers}, told apart by `class` (a Python class name or a short
 * name): each kind takes its transport's options, spelt as Python's keyword arguments, so an editor completes them
 * and a misspelt key does not compile.
 */
export type HandlerConfig =
  | ConsoleHandlerConfig
  | FileHandlerConfig
  | RotatingFileHandlerConfig
  | TimedRotatingFileHandlerConfig
  | MongoHandlerConfig
  | NullHandlerConfig;

/** Class names a handler entry accepts: Python's and the short ones. */
export type HandlerClassName = HandlerConfig['class'];

/** A handler entry of an `incremental: true` config: only the level of an existing handler changes. */
export interface IncrementalHandlerConfig {
  level: LevelLike;
}

/** A logger entry of {@link DictLoggingConfig.loggers} (and, without `propagate`, of `root`). */
export interface LoggerConfig {
  /** The logger's level. Omitted: left as it is (NOTSET for a new logger). */
  level?: LevelLike;
  /** Ids of entries of `handlers`. */
  handlers?: string[];
  /** Python's `propagate`. @defaultValue true */
  propagate?: boolean;
  /** Ids of entries of `filters`, or filter functions (logger filters: this logger's own records only). */
  filters?: Array<string | LoggerFilter>;
}

/** CPython's `logging.config.dictConfig` schema (version 1), with the semantics of spec §6. */
export interface DictLoggingConfig {
  /** Must be 1. */
  version: 1;
  /** Formatters by id. */
  formatters?: Record<string, FormatterConfig>;
  /** Filters by id. */
  filters?: Record<string, FilterConfig>;
  /** Handlers by id: a {@link HandlerConfig}, or a transport the app built itself (never closed by the config). */
  handlers?: Record<string, HandlerConfig | Transport | IncrementalHandlerConfig>;
  /** Loggers by dotted name. */
  loggers?: Record<string, LoggerConfig>;
  /** The root logger; omitted leaves the root as it is. */
  root?: Omit<LoggerConfig, 'propagate'>;
  /** Only change handler levels and logger levels/propagate. @defaultValue false */
  incremental?: boolean;
  /** Disable loggers that exist and are not named here. @defaultValue true (as CPython) */
  disable_existing_loggers?: boolean;
  /** Let `LOG_LEVEL` / `LOG_LEVELS` override the levels set here. @defaultValue true */
  useEnv?: boolean;
}

/** The console part of {@link ShortLoggingConfig}. */
export interface ShortConsoleConfig {
  /** @defaultValue `'stderr'` */
  stream?: 'stderr' | 'stdout' | 'ext://sys.stderr' | 'ext://sys.stdout';
  level?: LevelLike;
  /** Colour by level when the stream is a TTY. @defaultValue false */
  color?: boolean;
  /** A format string for the console only (default: the config's `format`). */
  format?: string;
}

/** The file part of {@link ShortLoggingConfig}: a size-rotated file. */
export interface ShortFileConfig {
  filename: string;
  /** @defaultValue 0 (never rolls over) */
  maxBytes?: number;
  /** @defaultValue 0 */
  backupCount?: number;
  level?: LevelLike;
  encoding?: string;
  mode?: 'a' | 'w';
  delay?: boolean;
  /** A format string for this file only (default: the config's `format`). */
  format?: string;
}

/** The MongoDB part of {@link ShortLoggingConfig}: the {@link MongoTransport} options, with a Python level. */
export interface ShortMongoConfig extends Omit<MongoTransportOptions, TransportKeys> {
  /** The handler's Python level (a name or number). */
  level?: LevelLike;
}

/**
 * The short form for the common case. It is translated into a dict config with handler ids
 * `console`, `file`, `mongodb` and `<logger>_errors` (error paths name those ids).
 */
export interface ShortLoggingConfig {
  /** The root level. Omitted: `NODE_ENV=production` → INFO, else DEBUG. */
  level?: LevelLike;
  /** The format string of every handler. @defaultValue `'%(asctime)s - %(name)s - %(levelname)s - %(message)s'` */
  format?: string;
  datefmt?: string;
  style?: '%' | '{' | '$';
  /** A console handler on the root (stderr). @defaultValue true */
  console?: boolean | ShortConsoleConfig;
  /** A rotating file handler on the root. */
  file?: string | ShortFileConfig;
  /** A MongoDB handler on the root (the MongoTransport options, plus `level`). */
  mongo?: ShortMongoConfig;
  /** Alias of `mongo`. */
  mongodb?: ShortMongoConfig;
  /** Levels per logger name: `{ database: 'info', auth: 'warning' }`. */
  levels?: Record<string, LevelLike>;
  /**
   * Requirement 4: per logger, a file that receives its ERROR+ records too (`{ database: 'database-errors.log' }`
   * or `{ database: { filename, maxBytes, backupCount, level } }`); the records still reach the root's handlers.
   * When `mongo` is set, those records also go to MongoDB.
   */
  errorFiles?: Record<string, string | ShortFileConfig>;
  /** Loggers whose records are dropped by every handler (the seed's `ExcludeAuthFilter`, with dotted-name matching). */
  exclude?: string[];
  /** @defaultValue false in the short form (module loggers are usually created before configuration). */
  disable_existing_loggers?: boolean;
  /** Let `LOG_LEVEL` / `LOG_LEVELS` override the levels set here. @defaultValue true */
  useEnv?: boolean;
}

/** What {@link configureLogging} accepts: a dict config (has `version`), a short config, or a JSON file path. */
export type LoggingConfig = DictLoggingConfig | ShortLoggingConfig;
