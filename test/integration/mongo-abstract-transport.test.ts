import { MongoClient } from 'mongodb';
import type { TransportStreamOptions } from 'winston-transport';
import { MongoTransport } from '../../transports/mongo/mongo-transport';
import type { MongoTransportOptions } from '../../transports/mongo/mongo-transport';
import { runAbstractTransportSuite } from '../helpers/abstract-transport-suite';
import { sharedMongoUri } from '../helpers/ferretdb';
import { describeTransportContract } from '../helpers/transport-contract';

// winston's shared transport suite, unmodified, on MongoTransport against the real FerretDB that the
// integration project's globalSetup started; then the base-class contract the suite does not check,
// reading back the stored documents.

const target = sharedMongoUri();
if (!('uri' in target)) {
  // A skip would pass CI silently; without a server this file fails and says why.
  throw new Error(`MongoTransport abstract suite needs a MongoDB-compatible server: ${target.reason}`);
}
const uri = target.uri;
const dbName = `pylog_abstract_${process.pid}`;
let seq = 0;

jest.setTimeout(30_000);

function options(): MongoTransportOptions {
  return {
    uri,
    dbName,
    collection: `c${++seq}`,
    clientOptions: { directConnection: true, serverSelectionTimeoutMS: 5000 },
    closeTimeoutMs: 10_000,
  };
}

let client: MongoClient;
beforeAll(async () => {
  client = new MongoClient(uri, { directConnection: true });
  await client.connect();
});
afterAll(async () => {
  await client
    .db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
});

runAbstractTransportSuite({ name: 'MongoTransport', Transport: MongoTransport, construct: options });

describeTransportContract({
  name: 'MongoTransport',
  make(extra: TransportStreamOptions) {
    const own = options();
    // MongoTransport stores ERROR and above by default; the contract's loggers log at info.
    const transport = new MongoTransport({ ...own, level: 'info', ...extra });
    return {
      transport,
      // One entry per line of each stored document's formatted message, in insertion order.
      written: async () => {
        const docs = await client
          .db(dbName)
          .collection(own.collection as string)
          .find({})
          .sort({ _id: 1 })
          .toArray();
        return docs.flatMap((d) => String(d.message).split('\n'));
      },
    };
  },
});
