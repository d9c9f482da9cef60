// Public API: named re-exports only, no logic and no side effects of its own. Internal helpers
// (everything not re-exported here) are deliberately not exported.
import type * as MongoModule from '../transports/mongo/mongo-transport';
import type * as TimedRotatingModule from '../transports/timed-rotating-file';
export { ConfigError } from './errors';
export { PythonFormatError } from '../formats/python/python-format-error';
export type { PythonErrorType } from '../formats/python/python-format-error';
export type { PythonLogRecord } from './record/python-log-record';
export { LEVELS, WINSTON_LEVELS, addLevelName, getLevelName, levelInfo, toLevelNo } from './record/levels';
export type { LevelInfo, LevelLike } from './record/levels';
export { PY_RECORD, toLogRecord } from './record/record';
export type { RecordContext } from './record/record';
export { ModuleLogger } from './logger/module-logger';
export type {
  LevelEnabledMethod,
  LoggerFilter,
  ModuleLoggerOptions,
  PyLogFunction,
  PyLogMethod,
} from './logger/module-logger';
export { addHandlerFilter } from './logger/dispatch';
export {
  createModuleLogger,
  disableLogging,
  getLogger,
  getRootLogger,
  moduleName,
  resetLogging,
} from './logger/create-module-logger';
export type { CreateModuleLoggerOptions } from './logger/create-module-logger';
export { configureLogging, closeConfiguredHandlers, SEED_FORMAT } from './config/configure-logging';
export type {
  ConsoleHandlerConfig,
  DictLoggingConfig,
  FileHandlerConfig,
  FilterConfig,
  FormatterConfig,
  HandlerClassName,
  HandlerCommonConfig,
  HandlerConfig,
  IncrementalHandlerConfig,
  LoggerConfig,
  LoggingConfig,
  MongoHandlerConfig,
  NullHandlerConfig,
  RotatingFileHandlerConfig,
  ShortConsoleConfig,
  ShortFileConfig,
  ShortLoggingConfig,
  ShortMongoConfig,
  TimedRotatingFileHandlerConfig,
} from './config/logging-config';
export { basicConfig, type BasicConfigOptions } from './config/basic-config';
export { setPythonCompat } from './logger/python-compat';
export { runWithLogContext } from './context/run-with-log-context';
export { enterLogContext } from './context/enter-log-context';
export { getLogContext } from './context/get-log-context';
export type { LogContextFields } from './context/log-context-storage';
export { logContext } from '../formats/log-context';
export { requestContext } from './http/request-context';
export type { RequestContextMiddleware, RequestContextOptions } from './http/request-context';
export { LoggerAdapter } from './logger/logger-adapter';
export type { AdaptedLogger, LoggerAdapterKwargs } from './logger/logger-adapter';
export { captureWarnings } from './lifecycle/capture-warnings';
export { shutdown, flushSync } from './lifecycle/shutdown';
export type { ShutdownOptions, ShutdownReport } from './lifecycle/shutdown';
export { installExitHandlers } from './lifecycle/install-exit-handlers';
export type { ExitHandlersOptions } from './lifecycle/install-exit-handlers';
export { compilePythonFormat } from '../formats/python/compile-python-format';
export type {
  CompilePythonFormatOptions,
  CompiledPythonFormat,
} from '../formats/python/compile-python-format';
export { pythonFormat } from '../formats/python-format';
export type { PythonFormatOptions } from '../formats/python-format';
export { moduleFilter, matchesLoggerName } from '../formats/module-filter';
export type { ModuleFilterOptions } from '../formats/module-filter';
export type { FileTransportBaseOptions } from '../transports/shared/file-options';
export type { FileTransportStats } from '../transports/shared/batch-file-writer';
export { RotatingFileTransport } from '../transports/rotating-file';
export type { RotatingFileTransportOptions } from '../transports/rotating-file';
export type TimedRotatingFileTransport = TimedRotatingModule.TimedRotatingFileTransport;
/** See `transports/timed-rotating-file.ts`; loaded on first access (an optional part). */
export declare const TimedRotatingFileTransport: typeof TimedRotatingModule.TimedRotatingFileTransport;
export type { TimeOfDay, TimedRotatingFileTransportOptions } from '../transports/timed-rotating-file';
export type MongoTransport = MongoModule.MongoTransport;
/** See `transports/mongo/mongo-transport.ts`; loaded on first access (an optional part). */
export declare const MongoTransport: typeof MongoModule.MongoTransport;
export type {
  DropSummary,
  LogDocument,
  OverflowPolicy,
  MongoCloseReport,
  MongoQueryOptions,
  MongoTarget,
  MongoTransportOptions,
  MongoTransportStats,
} from '../transports/mongo/mongo-transport';

// The optional transports load on first access, so an app that never uses them does not pay for their
// modules at import. Each getter returns a property of `lazy` (not a require call) so that Node's
// CommonJS lexer still sees the names and ESM's `import { MongoTransport }` keeps working; `module.exports`
// (not `exports`) so that loaders which rebuild the exports object (esbuild, tsx) keep them too.
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  get MongoTransport(): unknown {
    return (require('../transports/mongo/mongo-transport') as typeof MongoModule).MongoTransport;
  },
  get TimedRotatingFileTransport(): unknown {
    return (require('../transports/timed-rotating-file') as typeof TimedRotatingModule)
      .TimedRotatingFileTransport;
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */
Object.defineProperty(module.exports, 'MongoTransport', {
  enumerable: true,
  get: function () {
    return lazy.MongoTransport;
  },
});
Object.defineProperty(module.exports, 'TimedRotatingFileTransport', {
  enumerable: true,
  get: function () {
    return lazy.TimedRotatingFileTransport;
  },
});
