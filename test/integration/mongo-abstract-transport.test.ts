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

// Without a server sharedMongoUri() throws and this file fails, saying why (never a silent skip); only
// the documented opt-out skips it.
const uri = sharedMongoUri();
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

describe('MongoTransport against a real server', () => {
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

  describe("MongoTransport: 'logged' means taken for storage", () => {
    const make = (extra: Partial<MongoTransportOptions> = {}) => {
      const own = options();
      const transport = new MongoTransport({ ...own, level: 'info', ...extra });
      const logged: string[] = [];
      const warnings: string[] = [];
      transport.on('logged', (info: { message: string }) => logged.push(info.message));
      transport.on('warn', (err: Error) => warnings.push(err.message));
      const stored = async () =>
        (
          await client
            .db(dbName)
            .collection(own.collection as string)
            .find({})
            .sort({ _id: 1 })
            .toArray()
        ).map((d) => String(d.msg));
      return { transport, logged, warnings, stored };
    };
    const rec = (message: string) => ({ level: 'info', message });

    it('a record after close() is reported and counted, not "logged"', async () => {
      const { transport, logged, warnings, stored } = make();
      transport.log(rec('kept'));
      await transport.close();
      transport.log(rec('too late'));
      expect(logged).toEqual(['kept']);
      expect(warnings).toEqual([expect.stringContaining('a record arrived after close()')]);
      expect(transport.stats()).toMatchObject({ received: 1, stored: 1, abandoned: 1 });
      expect(await stored()).toEqual(['kept']);
    });

    it('overflow \'drop-newest\': the dropped records are not "logged"', async () => {
      const { transport, logged, stored } = make({ bufferSize: 2, batchSize: 2, flushLevel: false });
      // A synchronous burst: the first batch is sent on the next turn of the loop, so records 3 to 5
      // arrive at a full buffer.
      for (let i = 1; i <= 5; i++) transport.log(rec(`r${i}`));
      await transport.close();
      expect(logged).toEqual(['r1', 'r2']);
      expect(transport.stats()).toMatchObject({ received: 5, dropped: 3 });
      const msgs = await stored();
      expect(msgs.slice(0, 2)).toEqual(['r1', 'r2']);
    });

    it('overflow \'drop-oldest\': every arriving record is taken and "logged"', async () => {
      const { transport, logged } = make({
        bufferSize: 2,
        batchSize: 2,
        flushLevel: false,
        overflow: 'drop-oldest',
      });
      for (let i = 1; i <= 5; i++) transport.log(rec(`r${i}`));
      await transport.close();
      expect(logged).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
      expect(transport.stats()).toMatchObject({ received: 5, dropped: 3 });
    });
  });
});
