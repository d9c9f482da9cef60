import { hostname as osHostname } from 'node:os';
import type { TransformableInfo } from 'logform';
import { assignCallSite } from '../../src/record/call-site';
import { PROCESS_INFO } from '../../src/record/process-info';
import { FIXED_BYTES, mergeSnapshotMessage, snapshotRecord } from './mongo-snapshot';
import type { RecordSnapshot } from './mongo-snapshot';
import { BsonSanitiser, stringBytes } from './mongo-sanitise';

/** The BSON document size limit of MongoDB (16 MiB). */
export const BSON_LIMIT = 16 * 1024 * 1024;

/** Options for {@link buildLogDocument}. */
export interface BuildLogDocumentOptions {
  /** Key the call's metadata is stored under. */
  metaKey: string;
  /** Stored as `hostname`. */
  hostname?: string;
  /**
   * Documents whose estimated size is above this are truncated (message first) and marked.
   * @defaultValue 16 MiB − 256 KiB, leaving room for the insert command around the document
   */
  maxDocumentBytes?: number;
}

/** A stored log record: CPython's `LogRecord.__dict__` names, plus `timestamp` and `hostname`. */
export interface LogDocument {
  /** Time of the log call (not of the insert). */
  timestamp: Date;
  name: string;
  levelname: string;
  levelno: number;
  /** The formatted text (`info[MESSAGE]` when a format set it), else `msg % args`. */
  message: string;
  msg: unknown;
  args: unknown;
  pathname?: string;
  filename?: string;
  module?: string;
  lineno?: number;
  funcName?: string;
  process: number | null;
  processName: string | null;
  thread: number | null;
  threadName: string | null;
  hostname: string;
  exc_info?: Record<string, unknown>;
  exc_text?: string;
  stack_info?: string;
  /** Present when the record was too big for BSON: what was cut. */
  truncated?: { estimatedBytes: number; fields: string[] };
  [key: string]: unknown;
}

const DEFAULT_HOSTNAME = osHostname();
const DEFAULT_MAX_BYTES = BSON_LIMIT - 256 * 1024;
// A long string inside an over-limit record is cut to this many UTF-16 units (≤ 3 MiB of UTF-8).
const TRUNCATED_STRING_CHARS = 1024 * 1024;

/**
 * Builds the MongoDB document for a winston `info` (after the transport's format ran) and estimates
 * its BSON size: {@link snapshotRecord} then {@link buildSnapshotDocument}, which the transport runs
 * apart (the snapshot at the call, the document when its batch is sent). Never throws for bad data.
 */
export function buildLogDocument(
  info: TransformableInfo,
  options: BuildLogDocumentOptions,
): { doc: LogDocument; bytes: number } {
  return buildSnapshotDocument(snapshotRecord(info), options);
}

/**
 * Builds the MongoDB document of a {@link RecordSnapshot} and its estimated BSON size. Every value is
 * storable already (the snapshot ran them through {@link BsonSanitiser}) except the primitives of a
 * raw snapshot, which go through it here. A record over the size limit has its longest strings
 * truncated (then, if still too big, its metadata replaced by a note) and is marked with `truncated`.
 */
export function buildSnapshotDocument(
  snap: RecordSnapshot,
  options: BuildLogDocumentOptions,
): { doc: LogDocument; bytes: number } {
  let message = snap.message;
  let msg = snap.msg;
  let args = snap.args;
  let bytes = snap.bytes;
  if (snap.raw) {
    if (message === undefined) {
      message = mergeSnapshotMessage(snap);
      // The snapshot reserved the size of msg for the merged text; count the text itself instead.
      bytes += stringBytes(message) - (typeof msg === 'string' ? stringBytes(msg) : 24);
    }
    const s = new BsonSanitiser();
    msg = s.value(msg);
    args = s.value(args ?? []);
  }
  const doc: LogDocument = {
    timestamp: new Date(Math.round(snap.created)),
    name: snap.name,
    levelname: snap.levelname,
    levelno: snap.levelno,
    message: message ?? '',
    msg,
    args,
    process: PROCESS_INFO.process,
    processName: PROCESS_INFO.processName,
    thread: PROCESS_INFO.thread,
    threadName: PROCESS_INFO.threadName,
    hostname: options.hostname ?? DEFAULT_HOSTNAME,
  };
  // Call-site fields exist only when some format asked for them (capturing costs a stack walk).
  assignCallSite(doc, snap.callSite);
  if (snap.excInfo !== undefined) doc.exc_info = snap.excInfo;
  else if (snap.excText) doc.exc_text = snap.excText;
  if (snap.stackInfo) doc.stack_info = snap.stackInfo;
  if (snap.extra !== undefined) doc[options.metaKey] = snap.extra;
  const limit = maxDocumentBytesOf(options);
  if (bytes <= limit) return { doc, bytes };
  return truncateDocument(doc, bytes, limit, options.metaKey);
}

/** The size above which a document is truncated: `maxDocumentBytes`, else 16 MiB − 256 KiB. */
export function maxDocumentBytesOf(options: BuildLogDocumentOptions): number {
  return options.maxDocumentBytes ?? DEFAULT_MAX_BYTES;
}

/**
 * Shrinks a document estimated at `estimatedBytes` to fit `limit`: long strings are cut first (the
 * message is what usually makes a record huge), then `args`, the metadata and the error are replaced
 * by a note when they are still too big. Marks what was cut in `truncated`.
 */
export function truncateDocument(
  doc: LogDocument,
  estimatedBytes: number,
  limit: number,
  metaKey: string,
): { doc: LogDocument; bytes: number } {
  const fields: string[] = [];
  const cap = Math.max(256, Math.min(TRUNCATED_STRING_CHARS, Math.floor(limit / 16)));
  const cut = (value: unknown, path: string, depth: number): unknown => {
    if (typeof value === 'string') {
      if (value.length <= cap) return value;
      fields.push(path);
      return `${value.slice(0, cap)}… [truncated ${value.length - cap} of ${value.length} characters]`;
    }
    if (Buffer.isBuffer(value)) {
      if (value.length <= cap) return value;
      fields.push(path);
      return `[Buffer of ${value.length} bytes truncated]`;
    }
    if (depth > 40 || value === null || typeof value !== 'object' || value instanceof Date) return value;
    // A BSON value: after the sanitiser only the driver's own types carry `_bsontype`; kept whole.
    if (typeof (value as { _bsontype?: unknown })._bsontype === 'string') return value;
    if (Array.isArray(value)) return value.map((v, i) => cut(v, `${path}.${i}`, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cut(v, `${path}.${k}`, depth + 1);
    return out;
  };
  const next: LogDocument = { ...doc };
  for (const key of Object.keys(next)) {
    if (key === 'timestamp' || key === 'truncated') continue;
    next[key] = cut(next[key], key, 0);
  }
  let bytes = measure(next);
  // Still too big: many medium-sized values. Replace the bulky parts by a note, biggest first.
  const bulky = ['args', metaKey, 'msg', 'exc_info', 'exc_text', 'stack_info']
    .filter((k) => next[k] !== undefined)
    .map((k) => ({ k, size: measureValue(next[k]) }))
    .sort((a, b) => b.size - a.size);
  for (const { k, size } of bulky) {
    if (bytes <= limit) break;
    next[k] = `[${size} bytes removed: the record was over the BSON size limit]`;
    fields.push(k);
    bytes = measure(next);
  }
  if (bytes > limit) {
    next.message = next.message.slice(0, 1024);
    fields.push('message');
    bytes = measure(next);
  }
  next.truncated = { estimatedBytes, fields: [...new Set(fields)] };
  return { doc: next, bytes };
}

function measureValue(value: unknown): number {
  const s = new BsonSanitiser({ maxDepth: 64 });
  s.value(value);
  return s.bytes;
}

function measure(doc: LogDocument): number {
  return measureValue({ ...doc, timestamp: 0 }) + FIXED_BYTES;
}

/** What the transport knows about records it dropped because its buffer was full. */
export interface DropSummary {
  /** How many records were dropped. */
  count: number;
  /** Epoch milliseconds of the first and the last drop. */
  firstAt: number;
  lastAt: number;
  /** The overflow policy that dropped them. */
  policy: string;
}

/**
 * The marker document stored where dropped records would have been: a WARNING record from the
 * `winston-pylogging` logger whose `dropped` field says how many records are missing.
 */
export function buildDropMarkerDocument(summary: DropSummary, hostname = DEFAULT_HOSTNAME): LogDocument {
  const message =
    `MongoTransport dropped ${summary.count} record(s): its buffer was full (overflow policy ${summary.policy}) ` +
    `from ${new Date(summary.firstAt).toISOString()} to ${new Date(summary.lastAt).toISOString()}`;
  return {
    timestamp: new Date(summary.firstAt),
    name: 'winston-pylogging',
    levelname: 'WARNING',
    levelno: 30,
    message,
    msg: message,
    args: [],
    process: process.pid,
    processName: null,
    thread: null,
    threadName: null,
    hostname,
    dropped: {
      count: summary.count,
      from: new Date(summary.firstAt),
      until: new Date(summary.lastAt),
      policy: summary.policy,
    },
  };
}

/**
 * The document stored instead of one the server refused (the original is not storable as it is):
 * the record's identity and message, and why the server refused it.
 */
export function buildFallbackDocument(doc: LogDocument, reason: string): LogDocument {
  const out: LogDocument = {
    timestamp: doc.timestamp instanceof Date ? doc.timestamp : new Date(),
    name: String(doc.name),
    levelname: String(doc.levelname),
    levelno: typeof doc.levelno === 'number' ? doc.levelno : 0,
    message: typeof doc.message === 'string' ? doc.message.slice(0, 64 * 1024) : '',
    msg: typeof doc.msg === 'string' ? doc.msg.slice(0, 64 * 1024) : '[not storable]',
    args: [],
    process: doc.process,
    processName: doc.processName,
    thread: doc.thread,
    threadName: doc.threadName,
    hostname: doc.hostname,
    unstorable: reason.slice(0, 4096),
  };
  if (doc._id !== undefined) out._id = doc._id;
  return out;
}
