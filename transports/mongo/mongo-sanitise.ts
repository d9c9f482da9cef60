/** Options for {@link BsonSanitiser}. */
export interface BsonSanitiserOptions {
  /**
   * Nesting depth kept; deeper objects are stored as `'[Object]'` / `'[Array]'` (MongoDB refuses
   * documents nested more than 100 levels; FerretDB's limit is similar).
   * @defaultValue 32
   */
  maxDepth?: number;
}

/** What a circular reference is stored as (the same text winston-mongodb uses). */
export const CIRCULAR = '[Circular]';

// BSON per-field overhead: type byte, key terminator, and a little slack for length prefixes.
const FIELD_OVERHEAD = 8;

/**
 * Deep-copies any JavaScript value into something the MongoDB driver serialises and a
 * MongoDB-compatible server accepts, never throwing, and estimates its BSON size on the way.
 *
 * Why each rule exists:
 * - keys: MongoDB and FerretDB reject `.` in keys and a leading `$`; BSON keys are C strings, so NUL
 *   cannot be stored. `.` → `[dot]`, a leading `$` → `[$]` (winston-mongodb's spelling), NUL → `[nul]`.
 * - `NaN` makes FerretDB drop the connection and `±Infinity` is refused, so non-finite numbers become
 *   the strings `'NaN'`, `'Infinity'`, `'-Infinity'`.
 * - BigInt: stored as its exact decimal string (an int64 would overflow, a double would round).
 * - Symbols and functions have no BSON type: stored as `'Symbol(x)'` / `'[Function: f]'`.
 * - Buffers and typed arrays: copied into a Buffer (BSON binary), so later mutation by the caller does
 *   not change what is stored. Maps become objects, Sets arrays, RegExps and invalid Dates strings.
 * - Errors: `{ type, message, stack, cause, errors, …own fields }` (their message and stack are not
 *   enumerable, so a plain copy would lose them).
 * - Circular references: `'[Circular]'`. Getters or proxies that throw: `'[Unserializable: …]'`.
 * - Values carrying `_bsontype` (ObjectId, Decimal128, Long …) are kept as they are only when the
 *   installed driver serialises them (its own bson major and a type it knows); its serialiser refuses
 *   the whole insert for any other (`Unsupported BSON version`). Those are reduced: an ObjectId to its
 *   hex string, anything else to its fields with the tag under `[_bsontype]`. A `_bsontype` key of a
 *   plain object is stored as `[_bsontype]` for the same reason.
 *
 * `bytes` accumulates an upper estimate of the BSON size of everything sanitised so far; it is exact
 * for long strings and buffers, which are what make a document too big.
 */
export class BsonSanitiser {
  /** Upper estimate of the BSON bytes of every value sanitised by this instance. */
  bytes = 0;
  private readonly maxDepth: number;
  private readonly ancestors: object[] = [];

  constructor(options: BsonSanitiserOptions = {}) {
    this.maxDepth = options.maxDepth ?? 32;
  }

  /** Returns a storable deep copy of `value`. */
  value(value: unknown): unknown {
    switch (typeof value) {
      case 'string':
        this.bytes += stringBytes(value) + 5;
        return value;
      case 'number':
        this.bytes += 8;
        return Number.isFinite(value) ? value : String(value);
      case 'boolean':
        this.bytes += 1;
        return value;
      case 'undefined':
        return null;
      case 'bigint':
        return this.value(value.toString());
      case 'symbol':
        return this.value(value.toString());
      case 'function':
        return this.value(functionText(value as (...args: unknown[]) => unknown));
      default:
        return value === null ? null : this.object(value as object);
    }
  }

  /**
   * The storable form of a plain object the caller owns and no one else holds (a fresh copy): the
   * object itself when every key is storable as it is and every value a string, finite number,
   * boolean or null (only its size is counted, nothing is copied), else its sanitised copy.
   */
  adopt(value: Record<string, unknown>): Record<string, unknown> {
    let bytes = 5;
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k) || safeKey(k) !== k) return this.copy(value);
      const v = value[k];
      bytes += k.length * 3 + FIELD_OVERHEAD;
      if (typeof v === 'string') bytes += stringBytes(v) + 5;
      else if (typeof v === 'number' && Number.isFinite(v)) bytes += 8;
      else if (typeof v === 'boolean' || v === null) bytes += 1;
      else return this.copy(value);
    }
    this.bytes += bytes;
    return value;
  }

  private copy(value: Record<string, unknown>): Record<string, unknown> {
    return this.value(value) as Record<string, unknown>;
  }

  /** A key MongoDB accepts for `key`. */
  key(key: string): string {
    this.bytes += key.length * 3 + FIELD_OVERHEAD;
    return safeKey(key);
  }

  private object(value: object): unknown {
    if (this.ancestors.includes(value)) return this.value(CIRCULAR);
    if (this.ancestors.length >= this.maxDepth)
      return this.value(Array.isArray(value) ? '[Array]' : '[Object]');
    this.ancestors.push(value);
    try {
      return this.objectInner(value);
    } catch (err) {
      return this.value(`[Unserializable: ${errorText(err)}]`);
    } finally {
      this.ancestors.pop();
    }
  }

  private objectInner(value: object): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = new Array<unknown>(value.length);
      this.bytes += 5;
      for (let i = 0; i < value.length; i++) {
        this.bytes += 4 + FIELD_OVERHEAD;
        out[i] = this.value(value[i]);
      }
      return out;
    }
    if (value instanceof Date) {
      const t = value.getTime();
      if (Number.isNaN(t)) return this.value('Invalid Date');
      this.bytes += 8;
      return new Date(t);
    }
    const tag = (value as { _bsontype?: unknown })._bsontype;
    if (tag !== undefined && tag !== null) {
      // The driver's serialiser takes every object whose `_bsontype` is set for a BSON value, and refuses
      // the whole insert unless the value is one of its own bson major's types.
      if (isDriverBsonValue(value, tag)) {
        this.bytes += 32;
        return value;
      }
      return this.foreignBsonValue(value, tag);
    }
    if (ArrayBuffer.isView(value)) {
      this.bytes += value.byteLength + 5;
      return Buffer.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }
    if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
      this.bytes += value.byteLength + 5;
      return Buffer.from(new Uint8Array(value.slice(0)));
    }
    if (value instanceof Error) return this.error(value);
    if (value instanceof Map) {
      const out: Record<string, unknown> = {};
      this.bytes += 5;
      for (const [k, v] of value) out[this.key(typeof k === 'string' ? k : keyText(k))] = this.value(v);
      return out;
    }
    if (value instanceof Set) return this.object([...value]);
    if (value instanceof RegExp) return this.value(String(value));
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      // JSON's rule for class instances that know how to serialise themselves (URL, Decimal, moment).
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        const json: unknown = toJSON.call(value);
        return json !== null && typeof json === 'object' ? this.fields(json, {}) : this.value(json);
      }
    }
    return this.fields(value, {});
  }

  /**
   * The storable form of an object carrying `_bsontype` that the driver would refuse (JSON shaped like
   * a BSON value, a type from another copy or major of bson): an ObjectId's hex string, else its
   * sanitised fields with the tag under `[_bsontype]`.
   */
  private foreignBsonValue(value: object, tag: unknown): unknown {
    const toHexString = (value as { toHexString?: unknown }).toHexString;
    if (typeof toHexString === 'function') {
      const hex: unknown = toHexString.call(value);
      if (typeof hex === 'string') return this.value(hex);
    }
    const out: Record<string, unknown> = {};
    // A class instance's tag is a prototype getter, which the copy of its own fields would miss.
    if (!Object.prototype.hasOwnProperty.call(value, '_bsontype'))
      out[this.key('_bsontype')] = this.value(tag);
    return this.fields(value, out);
  }

  private fields(value: object, out: Record<string, unknown>): Record<string, unknown> {
    this.bytes += 5;
    for (const k of Object.keys(value)) {
      out[this.key(k)] = this.value((value as Record<string, unknown>)[k]);
    }
    return out;
  }

  /**
   * The stored shape of an exception (Python's `exc_info`): `{ type, message, stack, cause, errors,
   * …own fields }` for an Error, `{ type, message }` for any other thrown value.
   */
  exception(err: unknown): Record<string, unknown> {
    if (!(err instanceof Error)) {
      return { type: err === null ? 'null' : typeof err, message: this.value(safeText(err)) };
    }
    return this.errorOrValue(err) as Record<string, unknown>;
  }

  private error(err: Error): Record<string, unknown> {
    const out: Record<string, unknown> = {
      type: this.value(errorType(err)),
      message: this.value(safeText(err.message)),
    };
    const stack = readStack(err);
    if (stack !== undefined) out.stack = this.value(stack);
    if (err.cause !== undefined) out.cause = this.errorOrValue(err.cause);
    if (err instanceof AggregateError && Array.isArray(err.errors)) {
      out.errors = err.errors.map((e: unknown) => this.errorOrValue(e));
    }
    for (const k of Object.keys(err)) {
      if (k === 'cause' || k === 'errors' || k === 'stack' || k === 'message') continue;
      const key = this.key(k);
      if (!(key in out)) out[key] = this.value((err as unknown as Record<string, unknown>)[k]);
    }
    return out;
  }

  private errorOrValue(v: unknown): unknown {
    if (!(v instanceof Error)) return this.value(v);
    if (this.ancestors.includes(v)) return this.value(CIRCULAR);
    if (this.ancestors.length >= this.maxDepth) return this.value('[Error]');
    this.ancestors.push(v);
    try {
      return this.error(v);
    } catch (e) {
      return this.value(`[Unserializable: ${errorText(e)}]`);
    } finally {
      this.ancestors.pop();
    }
  }
}

/**
 * `key` with `.`, a leading `$` and NUL replaced so that MongoDB accepts it, and `_bsontype` spelled
 * `[_bsontype]` (the driver's serialiser reads an object with that key as a BSON value).
 */
export function safeKey(key: string): string {
  if (key.indexOf('.') === -1 && key.charCodeAt(0) !== 36 && key.indexOf('\0') === -1) {
    return key === BSONTYPE_KEY ? '[_bsontype]' : key;
  }
  let out = key.replace(/\./g, '[dot]').replace(/\0/g, '[nul]');
  if (out.charCodeAt(0) === 36) out = `[$]${out.slice(1)}`;
  return out;
}

/** UTF-8 byte length of `s`, overestimated (×3) for short strings where counting costs more than it saves. */
export function stringBytes(s: string): number {
  return s.length < 32 ? s.length * 3 : Buffer.byteLength(s, 'utf8');
}

const BSONTYPE_KEY = '_bsontype';
// The registered symbols through which bson (5 and later) marks its values with their major version and
// type: its serialiser refuses a value whose version is not its own ("Unsupported BSON version").
const BSON_VERSION = Symbol.for('@@mdb.bson.version');
const BSON_TYPE = Symbol.for('@@mdb.bson.type');
// The tags the serialiser stores as BSON types (bson 6 and 7, serializeInto); any other is refused.
const SERIALISED_TAGS = new Set([
  'ObjectId',
  'Decimal128',
  'Long',
  'Timestamp',
  'Double',
  'Code',
  'Binary',
  'BSONSymbol',
  'DBRef',
  'BSONRegExp',
  'Int32',
  'MinKey',
  'MaxKey',
]);

let driverMajor: number | null | undefined;

/**
 * The bson major of the installed `mongodb` driver (what it reports for its own ObjectId), read once
 * when the first `_bsontype` value is met; null when no driver can be loaded.
 */
function driverBsonMajor(): number | null {
  if (driverMajor === undefined) {
    try {
      // The app's driver, an optional peer dependency: only loaded when a record carries a BSON value.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { BSON } = require('mongodb') as { BSON: { ObjectId: { prototype: object } } };
      const v = (BSON.ObjectId.prototype as Record<symbol, unknown>)[BSON_VERSION];
      driverMajor = typeof v === 'number' ? v : null;
    } catch {
      driverMajor = null;
    }
  }
  return driverMajor;
}

/**
 * Whether the driver serialises `value` as the BSON type it claims to be: the serialiser's own test (its
 * bson major, then a tag it knows). Without a loadable driver, any bson-marked value of a known tag is
 * kept; a batch that driver then refuses is stored document by document (see MongoTransport).
 */
function isDriverBsonValue(value: object, tag: unknown): boolean {
  const v = (value as Record<symbol, unknown>)[BSON_VERSION];
  if (typeof v !== 'number') return false;
  const major = driverBsonMajor();
  if (major !== null && v !== major) return false;
  const typeTag = (value as Record<symbol, unknown>)[BSON_TYPE] ?? tag;
  return typeof typeTag === 'string' && SERIALISED_TAGS.has(typeTag);
}

function errorType(err: Error): string {
  try {
    if (typeof err.name === 'string' && err.name) return err.name;
    return err.constructor.name || 'Error';
  } catch {
    return 'Error';
  }
}

function readStack(err: Error): string | undefined {
  try {
    return typeof err.stack === 'string' ? err.stack : undefined;
  } catch {
    return undefined;
  }
}

function functionText(fn: (...args: unknown[]) => unknown): string {
  let name = '';
  try {
    name = fn.name;
  } catch {
    // A function whose name getter throws still gets stored.
  }
  return name ? `[Function: ${name}]` : '[Function (anonymous)]';
}

function keyText(k: unknown): string {
  if (typeof k === 'symbol' || typeof k === 'bigint' || typeof k === 'number' || typeof k === 'boolean') {
    return k.toString();
  }
  if (typeof k === 'function') return functionText(k as (...args: unknown[]) => unknown);
  return safeText(k);
}

function safeText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? safeText(err.message) : safeText(err);
}
