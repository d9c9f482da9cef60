import { MongoClient } from 'mongodb';
import { pythonFormat } from '../../formats/python-format';
import { runWithLogContext } from '../../src/context/run-with-log-context';
import { createModuleLogger, resetLogging } from '../../src/logger/create-module-logger';
import { LoggerAdapter } from '../../src/logger/logger-adapter';
import { MongoTransport } from '../../transports/mongo/mongo-transport';
import { sharedMongoUri } from '../helpers/ferretdb';

// The real FerretDB server: what a log context and a LoggerAdapter put on a record is stored in the
// document's `extra` (Python's record attributes), queryable by request id.
jest.setTimeout(60_000);

describe('log context fields in MongoTransport documents', () => {
  const uri = sharedMongoUri();
  const dbName = `pylog_ctx_${process.pid}`;
  const collection = `ctx_${Date.now()}`;
  let client: MongoClient;
  let transport: MongoTransport;

  beforeAll(async () => {
    resetLogging();
    client = new MongoClient(uri);
    await client.connect();
  });
  afterAll(async () => {
    await transport.close();
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    resetLogging();
  });

  it('stores the context’s fields (and an adapter’s extra) as record attributes, per request', async () => {
    transport = new MongoTransport({
      uri,
      dbName,
      collection,
      level: 'debug',
      format: pythonFormat('%(message)s'),
      clientOptions: { directConnection: true },
    });
    const log = createModuleLogger('ctx.mongo', { transports: [transport], propagate: false });
    await Promise.all(
      ['r-1', 'r-2'].map((id) =>
        runWithLogContext({ requestId: id, tenant: 'acme' }, async () => {
          await Promise.resolve();
          log.warning('handled %s', id);
          new LoggerAdapter(log, { user: `u-${id}` }).error('failed %s', id);
        }),
      ),
    );
    log.warning('outside');
    expect((await transport.flush(10_000)).pending).toBe(0);
    const docs = await client
      .db(dbName)
      .collection(collection)
      .find({}, { projection: { _id: 0, msg: 1, message: 1, extra: 1 } })
      .sort({ _id: 1 })
      .toArray();
    expect(docs).toEqual([
      { msg: 'handled %s', message: 'handled r-1', extra: { requestId: 'r-1', tenant: 'acme' } },
      { msg: 'failed %s', message: 'failed r-1', extra: { user: 'u-r-1', requestId: 'r-1', tenant: 'acme' } },
      { msg: 'handled %s', message: 'handled r-2', extra: { requestId: 'r-2', tenant: 'acme' } },
      { msg: 'failed %s', message: 'failed r-2', extra: { user: 'u-r-2', requestId: 'r-2', tenant: 'acme' } },
      { msg: 'outside', message: 'outside' },
    ]);
    const byRequest = await client
      .db(dbName)
      .collection(collection)
      .countDocuments({ 'extra.requestId': 'r-2' });
    expect(byRequest).toBe(2);
  });
});
