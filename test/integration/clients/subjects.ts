import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { format } from 'logform';
import winston from 'winston';
import type Transport from 'winston-transport';
import {
  RotatingFileTransport,
  closeConfiguredHandlers,
  configureLogging,
  createModuleLogger,
  getRootLogger,
  pythonFormat,
  resetLogging,
} from '../../../src/index';

// Shared by the real-client tests: the two loggers every test runs against, real HTTP on 127.0.0.1, and
// waiting for records by the transports' own 'logged' events (never by sleeping).

/** The seed's format, as the README shows it. */
export const SEED_FORMAT = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';
/** CPython's default asctime, `%Y-%m-%d %H:%M:%S,mmm`, as a regular-expression source. */
export const ASCTIME = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}';

/**
 * Which logger a test drives: a plain `winston.createLogger(...)` (the control: it proves the test itself is
 * right and must pass) or a module logger of the bundle (the subject).
 */
export type Kind = 'winston' | 'module';
export const KINDS: readonly Kind[] = ['winston', 'module'];

/** Options of {@link makeSubject}. */
export interface SubjectOptions {
  /** The folder for the two files (`<name>.log`, `<name>.jsonl`). */
  dir: string;
  /** The logger name: the module logger's name, `logger` field of the plain logger's defaultMeta. */
  name: string;
  /** The Python format of the text file. @defaultValue {@link SEED_FORMAT} */
  format?: string;
  /** `defaults` of that format (Python 3.12's Formatter defaults). */
  defaults?: Record<string, unknown>;
  /** The plain logger's winston levels (its default is winston's npm levels). */
  levels?: Record<string, number>;
}

/** A logger writing to a real text file (Python format) and a real JSON-lines file. */
export interface Subject {
  kind: Kind;
  logger: winston.Logger;
  /** The text file's transport. */
  text: RotatingFileTransport;
  /** The JSON-lines file's transport (`format.json()`). */
  json: RotatingFileTransport;
  /** Resolves once the text file's transport has accepted `n` records in all (rejects after `ms`). */
  waitForRecords(n: number, ms?: number): Promise<void>;
  /** Resolves once the text file's transport has accepted a record with this message (rejects after `ms`). */
  waitForMessage(message: string, ms?: number): Promise<void>;
  /** The text file's lines, after a flush. */
  lines(): Promise<string[]>;
  /** The JSON file's records, after a flush. */
  records(): Promise<Array<Record<string, unknown>>>;
  /** Closes the transports and forgets the module tree. */
  close(): Promise<void>;
}

/**
 * Builds the logger of `kind`. The module logger is configured the way the README does it: `configureLogging`
 * with a Python formatter on a rotating file handler at the root, plus a transport the app built itself (the
 * JSON file); the logger is then `createModuleLogger(name)`, so records reach the files by propagation.
 */
export function makeSubject(kind: Kind, options: SubjectOptions): Subject {
  const fmt = options.format ?? SEED_FORMAT;
  const textFile = path.join(options.dir, `${options.name}.log`);
  const jsonFile = path.join(options.dir, `${options.name}.jsonl`);
  const json = new RotatingFileTransport({ filename: jsonFile, format: format.json() });
  let logger: winston.Logger;
  let text: RotatingFileTransport;
  if (kind === 'winston') {
    text = new RotatingFileTransport({
      filename: textFile,
      format: pythonFormat({ format: fmt, ...(options.defaults ? { defaults: options.defaults } : {}) }),
    });
    logger = winston.createLogger({
      level: options.levels ? lowestLevel(options.levels) : 'silly',
      ...(options.levels ? { levels: options.levels } : {}),
      defaultMeta: { logger: options.name },
      transports: [text, json],
    });
  } else {
    resetLogging();
    configureLogging({
      version: 1,
      disable_existing_loggers: false,
      useEnv: false,
      formatters: {
        py: { format: fmt, ...(options.defaults ? { defaults: options.defaults } : {}) },
      },
      handlers: {
        file: { class: 'logging.handlers.RotatingFileHandler', filename: textFile, formatter: 'py' },
        json,
      },
      root: { level: 'DEBUG', handlers: ['file', 'json'] },
    });
    const found = getRootLogger().handlers.find(
      (h): h is RotatingFileTransport => h instanceof RotatingFileTransport && h !== json,
    );
    if (found === undefined) throw new Error('configureLogging did not attach the rotating file handler');
    text = found;
    logger = createModuleLogger(options.name);
  }
  let accepted = 0;
  const messages: unknown[] = [];
  text.on('logged', (info: { message?: unknown }) => {
    accepted++;
    messages.push(info.message);
  });
  const contents = (): string => {
    text.flushSync();
    return readLines(textFile).join('\n');
  };
  return {
    kind,
    logger,
    text,
    json,
    waitForRecords: (n, ms = 3000) =>
      waitFor(
        text,
        'logged',
        () => accepted >= n,
        ms,
        () => `${accepted} of ${n} records reached ${path.basename(textFile)}:\n${contents()}`,
      ),
    waitForMessage: (message, ms = 3000) =>
      waitFor(
        text,
        'logged',
        () => messages.includes(message),
        ms,
        () => `no record ${JSON.stringify(message)} reached ${path.basename(textFile)}:\n${contents()}`,
      ),
    async lines() {
      await text.flush();
      return readLines(textFile);
    },
    async records() {
      await json.flush();
      return readLines(jsonFile).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    async close() {
      if (kind === 'module') {
        await closeConfiguredHandlers();
        resetLogging();
      } else {
        logger.clear();
      }
      text.close();
      json.close();
    },
  };
}

function lowestLevel(levels: Record<string, number>): string {
  return Object.entries(levels).sort((a, b) => b[1] - a[1])[0]![0];
}

function readLines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/**
 * Resolves when `done()` holds, checked now and after every `event` of `emitter`; rejects with `why()`
 * after `ms` so a record that never comes fails the test quickly instead of hanging it.
 */
export function waitFor(
  emitter: NodeJS.EventEmitter | Transport,
  event: string,
  done: () => boolean,
  ms: number,
  why: () => string,
): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (!done()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${ms} ms: ${why()}`));
    }, ms);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(event, check);
    };
    emitter.on(event, check);
  });
}

/** A server listening on 127.0.0.1 on a free port. */
export interface Listening {
  server: http.Server;
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** Starts `handler` (an express app or any request listener) on 127.0.0.1, port 0. */
export async function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A real HTTP GET on its own connection (no keep-alive agent left behind). */
export function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** Drops the asctime prefix of a seed-format line: `name - LEVEL - message`. */
export function withoutTime(line: string): string {
  return line.replace(new RegExp(`^${ASCTIME} - `), '');
}
