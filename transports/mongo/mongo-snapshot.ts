import type { TransformableInfo } from 'logform';
import { LEVEL, MESSAGE } from 'triple-beam';
import type { CallSiteInfo } from '../../src/record/call-site';
import { levelInfo } from '../../src/record/levels';
import { argsOf, excTextOf, extrasOf, mergedMessage, msgOf, recordContextOf } from '../../src/record/record';
import type { RecordContext } from '../../src/record/record';
import { BsonSanitiser, stringBytes } from './mongo-sanitise';

/** Room taken by a document's fixed fields (names, numbers, dates) beyond what the sanitiser counts. */
export const FIXED_BYTES = 512;

/**
 * What {@link MongoTransport} keeps of a record at the call, from which the document is built later
 * (when its batch is sent). Everything the caller could still change is copied here: the metadata,
 * the exception and any object among `msg`/`args` are storable deep copies made by
 * {@link BsonSanitiser} at the call, and the message is merged at the call whenever it reads an object
 * (`'%s' % obj` must show the object as it was). Strings, numbers and the other primitives cannot
 * change, so `msg % args` of primitives is left for the build. This is what a synchronous CPython
 * handler (one that stores `record.__dict__` in `emit`) sees: the values as they are during the call.
 */
export interface RecordSnapshot {
  /** Epoch milliseconds of the call. */
  readonly created: number;
  readonly name: string;
  readonly levelname: string;
  readonly levelno: number;
  /** The text stored as `message`: the format's output, or `msg % args` merged at the call. */
  readonly message: string | undefined;
  /**
   * `msg` and `args`: storable copies when {@link raw} is false; when true, the caller's primitives as
   * they are (`msg % args` is merged from them at the build, then they are made storable).
   */
  readonly msg: unknown;
  readonly args: unknown;
  readonly raw: boolean;
  readonly callSite: CallSiteInfo | undefined;
  readonly excInfo: Record<string, unknown> | undefined;
  readonly excText: string | undefined;
  readonly stackInfo: string | undefined;
  /** The metadata (extra attributes), storable, or undefined when there is none. */
  readonly extra: Record<string, unknown> | undefined;
  /**
   * Estimated BSON bytes of the document (see {@link BsonSanitiser}): what the buffer counts against
   * `bufferBytes` while the record waits, and what decides whether the document must be truncated.
   */
  readonly bytes: number;
}

/**
 * Takes the {@link RecordSnapshot} of a winston `info` (after the transport's format ran). Never throws
 * for bad data (values go through {@link BsonSanitiser}); the cost is a few object reads for a record
 * of primitives, and a deep copy of whatever objects the record carries.
 */
export function snapshotRecord(info: TransformableInfo): RecordSnapshot {
  const ctx = recordContextOf(info);
  const formatted = (info as { [MESSAGE]?: unknown })[MESSAGE];
  const msg = msgOf(info, ctx);
  const args = argsOf(info, ctx);
  const s = new BsonSanitiser();
  s.bytes = FIXED_BYTES;
  let message: string | undefined;
  let raw = false;
  let storedMsg: unknown;
  let storedArgs: unknown;
  const frozen = isPrimitive(msg) ? frozenArgs(args, s) : NOT_FROZEN;
  if (frozen !== NOT_FROZEN) {
    // Nothing here can change: a format's text is final, and `msg % args` of primitives (a list, or
    // Python's single mapping) can wait for the build, from the copy just made.
    if (typeof formatted === 'string') message = formatted;
    raw = true;
    storedMsg = msg;
    storedArgs = frozen;
    s.value(msg);
    // Room for `msg % args` when it is merged at the build: the message plus the arguments' text.
    if (message === undefined) s.bytes += typeof msg === 'string' ? stringBytes(msg) : 24;
  } else {
    message = typeof formatted === 'string' ? formatted : mergedMessage(info, ctx);
    storedMsg = s.value(msg);
    storedArgs = s.value(args ?? []);
  }
  if (message !== undefined) s.bytes += stringBytes(message);
  let excInfo: Record<string, unknown> | undefined;
  let excText: string | undefined;
  if (ctx.excInfo !== undefined && ctx.excInfo !== null) {
    excInfo = s.exception(ctx.excInfo);
  } else {
    excText = excTextOf(ctx, info);
    if (excText !== undefined) s.bytes += stringBytes(excText);
  }
  const stackInfo = ctx.stackInfo;
  if (stackInfo !== undefined) s.bytes += stringBytes(stackInfo);
  // extrasOf returns a fresh object: the snapshot itself when its values are storable as they are.
  const extras = extrasOf(info);
  let extra: Record<string, unknown> | undefined;
  for (const _ in extras) {
    extra = s.adopt(extras);
    break;
  }
  const level = levelOf(info, ctx);
  return {
    created: ctx.created,
    name: ctx.name,
    levelname: level.levelname,
    levelno: level.levelno,
    message,
    msg: storedMsg,
    args: storedArgs,
    raw,
    callSite: ctx.callSite,
    excInfo,
    excText,
    stackInfo,
    extra,
    bytes: s.bytes,
  };
}

/**
 * `msg % args` of a snapshot taken with primitives ({@link RecordSnapshot.raw}), by the same rules as
 * the formats (`mergedMessage`: CPython's `getMessage`, and the record kept when the merge fails).
 */
export function mergeSnapshotMessage(snap: RecordSnapshot): string {
  const ctx: RecordContext = { name: snap.name, created: snap.created, msg: snap.msg };
  if (snap.args !== undefined) ctx.args = snap.args as readonly unknown[];
  return mergedMessage({ level: snap.levelname, message: snap.msg }, ctx);
}

// The record's levelno and levelname as the shared LogRecord has them (record.ts, logRecordOf): the
// info's level name, unless the call gave a number of its own (custom numeric levels).
function levelOf(info: TransformableInfo, ctx: RecordContext): { levelno: number; levelname: string } {
  const levelName = (info as { [LEVEL]?: unknown })[LEVEL] ?? info.level;
  const li = levelInfo(typeof levelName === 'string' ? levelName : String(levelName));
  const levelno = ctx.levelno ?? li.levelno;
  return levelno === li.levelno ? li : levelInfo(`level ${levelno}`);
}

function isPrimitive(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function');
}

const NOT_FROZEN: unique symbol = Symbol('not frozen');

/**
 * A shallow copy of `args` when every value in it is a primitive — a list, or Python's single mapping
 * (a plain object) — which no later change by the caller can reach; its size is counted on `s`. Returns
 * {@link NOT_FROZEN} when some value is an object (that needs the sanitiser's deep copy) and undefined
 * for no arguments.
 */
function frozenArgs(args: unknown, s: BsonSanitiser): unknown {
  if (args === undefined) return undefined;
  if (Array.isArray(args)) {
    const n = args.length;
    let bytes = 5;
    for (let i = 0; i < n; i++) {
      const b = primitiveBytes(args[i]);
      if (b < 0) return NOT_FROZEN;
      bytes += b + 12;
    }
    s.bytes += bytes;
    return args.slice();
  }
  if (Object.getPrototypeOf(args) !== Object.prototype) return NOT_FROZEN;
  const src = args as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  let bytes = 5;
  try {
    for (const k in src) {
      if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
      const v = src[k];
      const b = primitiveBytes(v);
      if (b < 0) return NOT_FROZEN;
      bytes += b + k.length * 3 + 8;
      copy[k] = v;
    }
  } catch {
    // A getter that throws: the sanitiser stores what it can read.
    return NOT_FROZEN;
  }
  s.bytes += bytes;
  return copy;
}

// The BSON size estimate of a primitive (the sanitiser's figures), or -1 for an object or function.
function primitiveBytes(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return stringBytes(v) + 5;
    case 'number':
      return 24;
    case 'boolean':
    case 'undefined':
      return 1;
    case 'bigint':
    case 'symbol':
      // Stored as their text (the sanitiser's rule).
      return stringBytes(v.toString()) + 5;
    default:
      return v === null ? 1 : -1;
  }
}
