// Public API: named re-exports only, no logic and no side effects of its own. Internal helpers
// (src/internal, transports/internal) are deliberately not exported.
export { ConfigError } from './errors';
export { PythonFormatError } from './python-format-error';
export type { PythonErrorType } from './python-format-error';
export type { PythonLogRecord } from './python-log-record';
export { LEVELS, WINSTON_LEVELS, addLevelName, getLevelName, levelInfo, toLevelNo } from './levels';
export type { LevelInfo, LevelLike } from './levels';
export { PY_RECORD, toLogRecord } from './record';
export type { RecordContext } from './record';
export { ModuleLogger, addHandlerFilter } from './module-logger';
export type { LoggerFilter, ModuleLoggerOptions, PyLogMethod } from './module-logger';
export {
  createModuleLogger,
  disableLogging,
  getLogger,
  getRootLogger,
  moduleName,
  resetLogging,
} from './create-module-logger';
export type { CreateModuleLoggerOptions } from './create-module-logger';
// Loading configure-logging also installs the default console for apps that configure nothing.
export { configureLogging, closeConfiguredHandlers, SEED_FORMAT } from './configure-logging';
export type {
  DictLoggingConfig,
  FilterConfig,
  FormatterConfig,
  HandlerClassName,
  HandlerConfig,
  IncrementalHandlerConfig,
  LoggerConfig,
  LoggingConfig,
  ShortConsoleConfig,
  ShortFileConfig,
  ShortLoggingConfig,
} from './logging-config';
export { setPythonCompat } from './python-compat';
export { shutdown, flushSync } from './shutdown';
export type { ShutdownOptions, ShutdownReport } from './shutdown';
export { installExitHandlers } from './install-exit-handlers';
export type { ExitHandlersOptions } from './install-exit-handlers';
export { compilePythonFormat } from '../formats/compile-python-format';
export type { CompilePythonFormatOptions, CompiledPythonFormat } from '../formats/compile-python-format';
export { pythonFormat } from '../formats/python-format';
export type { PythonFormatOptions } from '../formats/python-format';
export { moduleFilter, matchesLoggerName } from '../formats/module-filter';
export type { ModuleFilterOptions } from '../formats/module-filter';
export type { FileTransportBaseOptions } from '../transports/internal/file-options';
export { RotatingFileTransport } from '../transports/rotating-file';
export type { RotatingFileTransportOptions } from '../transports/rotating-file';
export { TimedRotatingFileTransport } from '../transports/timed-rotating-file';
export type { TimeOfDay, TimedRotatingFileTransportOptions } from '../transports/timed-rotating-file';
export { MongoTransport } from '../transports/mongo';
export type {
  DropSummary,
  LogDocument,
  OverflowPolicy,
  MongoCloseReport,
  MongoQueryOptions,
  MongoTarget,
  MongoTransportOptions,
  MongoTransportStats,
} from '../transports/mongo';
