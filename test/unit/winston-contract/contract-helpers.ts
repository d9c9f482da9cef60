import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { TransformableInfo } from 'logform';
import winston from 'winston';
import Transport from 'winston-transport';
import type { TransportStreamOptions } from 'winston-transport';
import { createModuleLogger, resetLogging } from '../../../src/index';
import type { LoggerFilter } from '../../../src/index';

// Helpers for the port of winston 3.19.0's own tests (test/unit/winston/*.test.js, test/unit/formats/errors.test.js,
// test/helpers/**): every behaviour runs against plain winston (proves the port is faithful) and against the bundle's
// module loggers (proves they honour winston's Logger contract).

/** winston's `createLogger` options plus the module-logger ones (Python's `propagate`, logger filters). */
export type ContractOptions = winston.LoggerOptions & { propagate?: boolean; filters?: LoggerFilter[] };

/** A winston logger with the level methods of the npm levels and any custom level the test defines. */
export type AnyLogger = winston.Logger & Record<string, unknown>;

/** One way of making a logger from winston's `createLogger` options. */
export interface Variant {
  /** `winston`: `winston.createLogger(opts)`; `module`: `createModuleLogger(uniqueName, opts)`. */
  readonly kind: 'winston' | 'module';
  create(options?: ContractOptions): AnyLogger;
  /** Run in `beforeEach`: returns the logger tree to its initial state (module loggers only). */
  reset(): void;
}

let sequence = 0;

/** Plain winston: the reference every ported test must pass on. */
export const winstonVariant: Variant = {
  kind: 'winston',
  create: (options) => winston.createLogger(options) as AnyLogger,
  reset: () => undefined,
};

/**
 * The bundle's module logger, built from the same options. The cast is deliberate: the tests are written
 * against the target API (`createModuleLogger` taking winston's `createLogger` options), which the types of
 * today's core do not offer yet.
 */
export const moduleVariant: Variant = {
  kind: 'module',
  create: (options) => {
    sequence += 1;
    const create = createModuleLogger as unknown as (name: string, options?: ContractOptions) => AnyLogger;
    return create(`contract.logger${sequence}`, options);
  },
  reset: () => {
    // The root's level comes from the environment; the port expects the documented default (DEBUG).
    delete process.env.LOG_LEVEL;
    delete process.env.LOG_LEVELS;
    resetLogging();
  },
};

/** Both factories, for `describe.each(VARIANTS)('$kind', ...)`. */
export const VARIANTS: readonly Variant[] = [winstonVariant, moduleVariant];

/** The `write` function of an objectMode Writable (winston's helpers pass it straight through). */
export type WriteFn = (
  info: TransformableInfo,
  enc: BufferEncoding,
  next: (error?: Error | null) => void,
) => void;

/**
 * winston's `helpers/mocks/mock-transport.createMockTransport`: a real `winston.transports.Stream` over an
 * objectMode Writable whose `write` is the test's. A `write` that never calls `next` sees only the first record,
 * as in winston's suite.
 */
export function mockTransport(write: WriteFn, options: TransportStreamOptions = {}): winston.transport {
  const stream = new Writable({ objectMode: true, write });
  return new winston.transports.Stream({ ...options, stream });
}

/** winston's `inMemory(array)`: a Stream transport that collects every info it is given. */
export function inMemory(
  array: TransformableInfo[],
  options: TransportStreamOptions = {},
): winston.transport {
  return mockTransport((info, _enc, next) => {
    array.push(info);
    next();
  }, options);
}

/** winston's `helpers.createLogger(write, format)`: a logger with one mock transport. */
export function createLoggerWith(
  variant: Variant,
  write: WriteFn,
  format?: winston.Logform.Format,
): AnyLogger {
  const transports = [mockTransport(write)];
  return variant.create(format === undefined ? { transports } : { format, transports });
}

/** The string-keyed fields of an info, as winston's `assume(...).eql` compares them (symbols left out). */
export function plain(info: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(info));
}

/**
 * winston's `mocks/legacy-transport`: a winston@2 transport (an EventEmitter, not a stream, with
 * `log(level, msg, meta, callback)`), written without `winston-compat` (its Transport is only an EventEmitter).
 */
export class LegacyTransport extends EventEmitter {
  readonly name: string = 'legacy-test';
  level?: string;
  readonly output: { error: string[]; write: string[] } = { error: [], write: [] };
  /** What each log() call received (level, message): not in winston's mock, added to see the wrapper's call. */
  readonly calls: Array<[unknown, unknown]> = [];

  log(level: string, msg: unknown, _meta: unknown, callback: (err: null, ok: boolean) => void): void {
    this.calls.push([level, msg]);
    (level === 'error' || level === 'debug' ? this.output.error : this.output.write).push(
      'I AM BACKWARDS COMPATIBLE WITH LEGACY',
    );
    this.emit('logged');
    callback(null, true);
  }
}

/** winston's `mocks/legacy-mixed-transport`: a winston@3 transport that keeps the winston@2 `log` signature. */
export class LegacyMixedTransport extends Transport {
  readonly name: string = 'legacy-mixed-test';
  readonly output: { error: string[]; write: string[] } = { error: [], write: [] };
  /** What each log() call received (level, message): not in winston's mock, added to see the wrapper's call. */
  readonly calls: Array<[unknown, unknown]> = [];

  // The four-parameter signature is the point: winston wraps any transport whose log() takes more than two.
  override log(
    level: unknown,
    msg?: unknown,
    _meta?: unknown,
    callback?: (err: null, ok: boolean) => void,
  ): void {
    this.calls.push([level, msg]);
    (level === 'error' || level === 'debug' ? this.output.error : this.output.write).push(
      'I AM BACKWARDS COMPATIBLE WITH LEGACY',
    );
    this.emit('logged');
    callback?.(null, true);
  }
}

/** A `write` function that keeps every info it is given, and the infos kept. */
export function collector(): { records: TransformableInfo[]; write: WriteFn } {
  const records: TransformableInfo[] = [];
  return {
    records,
    write: (info, _enc, next) => {
      records.push(info);
      next();
    },
  };
}

/**
 * Lets queued stream work run (winston delivers through piped streams, which may defer to the next tick or
 * `setImmediate`): a handful of event-loop turns, never a timer on the real clock.
 */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
