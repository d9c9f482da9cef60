import * as path from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import type * as BsonModule from 'bson';
import type * as MongoModule from 'mongodb';
import type { Document } from 'mongodb';
import winston from 'winston';
import { createModuleLogger, resetLogging } from '../../src/logger/create-module-logger';
import { MongoTransport } from '../../transports/mongo/mongo-transport';
import type { MongoTransportOptions } from '../../transports/mongo/mongo-transport';
import { sharedMongoUri } from '../helpers/ferretdb';

jest.setTimeout(60_000);

// A second copy of bson and of the driver, as an app ends up with when two packages pin different
// majors: winston-mongodb (a dev dependency) ships bson 6 and mongodb 6 beside the bson 7 of mongodb 7.
const SECOND_COPY = path.join(__dirname, '../../node_modules/winston-mongodb/node_modules');
/* eslint-disable @typescript-eslint/no-require-imports */
const bson6 = require(path.join(SECOND_COPY, 'bson')) as typeof BsonModule;
const mongodb6 = require(path.join(SECOND_COPY, 'mongodb')) as typeof MongoModule;
/* eslint-enable @typescript-eslint/no-require-imports */

describe('MongoTransport: values the driver cannot serialise, Errors logged bare, fault labels', () => {
  const uri = sharedMongoUri();
  const dbName = `pylog_foreign_${process.pid}`;
  const dbUri = withDatabase(uri, dbName);
  let client: MongoClient;
  let seq = 0;
  const fresh = (): string => `f${++seq}_${Date.now()}`;
  const open: Array<{ close(): unknown }> = [];

  beforeAll(async () => {
    client = new MongoClient(uri);
    await client.connect();
  });

  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
    resetLogging();
  });

  afterAll(async () => {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  function transport(options: MongoTransportOptions): MongoTransport {
    const t = new MongoTransport({ closeTimeoutMs: 10_000, ...options });
    open.push(t);
    return t;
  }

  async function docs(collection: string): Promise<Document[]> {
    return client.db(dbName).collection(collection).find({}).sort({ _id: 1 }).toArray();
  }

  it('a _bsontype value the driver would refuse (JSON, a second bson copy) is stored reduced and never holds back later records', async () => {
    const collection = fresh();
    const t = transport({ uri: dbUri, collection, level: 'info' });
    const logger = winston.createLogger({ level: 'info', transports: [t] });
    const hex = '64b7f0c2a1b2c3d4e5f60718';
    // A request body as JSON.parse returns it: the shape of an ObjectId, but a plain object.
    logger.info('req', { body: JSON.parse('{"id":{"_bsontype":"ObjectId","id":"x"}}') as unknown });
    logger.info('foreign', { oid: new bson6.ObjectId(hex), long: bson6.Long.fromNumber(5) });
    logger.info('long-shaped', { v: { _bsontype: 'Long' }, n: { _bsontype: 5 } });
    logger.info('own', { oid: new ObjectId(hex) });
    for (let i = 0; i < 3; i++) logger.error(`later error ${i}`);
    expect((await t.flush(10_000)).pending).toBe(0);
    expect(t.stats()).toMatchObject({ received: 7, stored: 7, pending: 0, abandoned: 0 });
    const stored = await docs(collection);
    expect(stored.map((d) => d.msg)).toEqual([
      'req',
      'foreign',
      'long-shaped',
      'own',
      'later error 0',
      'later error 1',
      'later error 2',
    ]);
    // Reduced forms: the type tag under a key the serialiser does not read, the fields sanitised.
    expect(stored[0]!.extra).toEqual({ body: { id: { '[_bsontype]': 'ObjectId', id: 'x' } } });
    // A foreign ObjectId is its hex string; another foreign type its plain fields and its tag.
    expect(stored[1]!.extra).toEqual({
      oid: hex,
      long: { '[_bsontype]': 'Long', low: 5, high: 0, unsigned: false },
    });
    expect(stored[2]!.extra).toEqual({ v: { '[_bsontype]': 'Long' }, n: { '[_bsontype]': 5 } });
    // The driver's own BSON types are stored as those types.
    expect(stored[3]!.extra.oid).toBeInstanceOf(ObjectId);
    expect((stored[3]!.extra.oid as ObjectId).toHexString()).toBe(hex);
    expect(stored.every((d) => d.unstorable === undefined)).toBe(true);
  });

  it('a batch the driver refuses for one document stores that one reduced and every other one whole', async () => {
    const collection = fresh();
    // The app's client is from driver 6 (bson 6): the bson 7 ObjectId below passes the sanitiser (it is
    // the installed driver's type) but the app's driver refuses the whole batch because of it.
    const client6 = new mongodb6.MongoClient(uri);
    open.push(client6);
    const t = transport({ client: client6.db(dbName), collection, level: 'info' });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const logger = winston.createLogger({ level: 'info', transports: [t] });
    logger.info('before', { n: 1 });
    logger.info('bad', { oid: new ObjectId('64b7f0c2a1b2c3d4e5f60718') });
    for (let i = 0; i < 3; i++) logger.error(`later error ${i}`);
    expect((await t.flush(10_000)).pending).toBe(0);
    expect(t.stats()).toMatchObject({ received: 5, stored: 5, pending: 0, abandoned: 0 });
    const stored = await docs(collection);
    expect(stored.map((d) => [d.msg, d.extra ?? null, d.unstorable ?? null])).toEqual([
      ['before', { n: 1 }, null],
      ['bad', null, expect.stringContaining('Unsupported BSON version')],
      ['later error 0', null, null],
      ['later error 1', null, null],
      ['later error 2', null, null],
    ]);
    expect(warnings).toEqual([
      expect.stringContaining('the driver or the server refused 1 record(s); storing reduced copies'),
    ]);
  });

  it.each([
    ['with a transport format', winston.format.simple(), 'error: boom'],
    ['without a transport format', undefined, 'boom'],
  ])('logger.error(err) %s stores the message and exc_info', async (_, format, message) => {
    const collection = fresh();
    const t = transport({ uri: dbUri, collection, ...(format === undefined ? {} : { format }) });
    const logger = winston.createLogger({ transports: [t] });
    const err = new TypeError('boom');
    logger.error(err);
    expect((await t.flush(10_000)).pending).toBe(0);
    const [doc] = await docs(collection);
    expect(doc).toMatchObject({
      message,
      msg: 'boom',
      levelname: 'ERROR',
      exc_info: { type: 'TypeError', message: 'boom', stack: err.stack },
    });
  });

  it("Errors buffered in the stream (corked: winston-transport's _writev) keep their message and exc_info too", async () => {
    const collection = fresh();
    const t = transport({ uri: dbUri, collection, format: winston.format.simple() });
    const logger = winston.createLogger({ transports: [t] });
    t.cork();
    logger.error(new TypeError('first'));
    logger.error(new RangeError('second'));
    t.uncork();
    expect((await t.flush(10_000)).pending).toBe(0);
    expect(await docs(collection)).toMatchObject([
      { message: 'error: first', msg: 'first', exc_info: { type: 'TypeError', message: 'first' } },
      { message: 'error: second', msg: 'second', exc_info: { type: 'RangeError', message: 'second' } },
    ]);
  });

  it("a module logger's Error argument still reaches the document, by the logger's direct path", async () => {
    const collection = fresh();
    const t = transport({ uri: dbUri, collection, format: winston.format.simple() });
    const log = createModuleLogger('it.mongo.foreign');
    log.addHandler(t);
    log.error('failed: %s', 'job-1', new RangeError('late'));
    expect((await t.flush(10_000)).pending).toBe(0);
    expect(await docs(collection)).toMatchObject([
      { msg: 'failed: %s', args: ['job-1'], exc_info: { type: 'RangeError', message: 'late' } },
    ]);
    // Not piped from a winston logger: `_write` is the base class's, which the direct path requires.
    expect(Object.prototype.hasOwnProperty.call(t, '_write')).toBe(false);
    winston.createLogger({ transports: [t] });
    expect(Object.prototype.hasOwnProperty.call(t, '_write')).toBe(true);
  });

  it("fault messages name the URI's database when dbName is not given", async () => {
    const collection = fresh();
    const t = new MongoTransport({ uri: dbUri, collection, faultsToStderr: false });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    await t.close();
    t.log({ level: 'error', message: 'after close' });
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^MongoTransport\\(${dbName}\\.${collection}\\): `)),
    ]);
    // Without a database in the URI, the driver's default ('test') is where records go.
    const t2 = new MongoTransport({ uri: withDatabase(uri, ''), collection, faultsToStderr: false });
    const w2: string[] = [];
    t2.on('warn', (e: Error) => w2.push(e.message));
    await t2.close();
    t2.log({ level: 'error', message: 'after close' });
    expect(w2).toEqual([expect.stringMatching(new RegExp(`^MongoTransport\\(test\\.${collection}\\): `))]);
  });
});

/** `uri` with its database path set to `db` (query options kept). */
function withDatabase(uri: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?([^?]*)(\?.*)?$/.exec(uri);
  if (m === null) throw new Error(`unexpected test URI ${uri}`);
  return `${m[1]}/${db}${m[3] ?? ''}`;
}
