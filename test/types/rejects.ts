// Typical mistakes that must not compile. Each `@ts-expect-error` fails the type test if the line below it
// compiles, so every one of them is checked.
import {
  LoggerAdapter,
  MongoTransport,
  configureLogging,
  createModuleLogger,
  requestContext,
  runWithLogContext,
} from 'winston-pylogging';

configureLogging({
  version: 1,
  handlers: {
    // 1. A misspelt option of the handler's own transport.
    // @ts-expect-error maxByte is not a rotating_file option (maxBytes is)
    file: { class: 'rotating_file', filename: 'app.log', maxByte: 1024 },
  },
});

configureLogging({
  version: 1,
  handlers: {
    // 2. An option of another transport.
    // @ts-expect-error filename is not a console option
    console: { class: 'console', filename: 'app.log' },
  },
});

configureLogging({
  version: 1,
  handlers: {
    // 3. A class that does not exist.
    // @ts-expect-error 'rotating' is not a handler class
    file: { class: 'rotating', filename: 'app.log' },
  },
});

configureLogging({
  version: 1,
  handlers: {
    // 4. An option of the wrong type (a size as text).
    // @ts-expect-error maxBytes is a number of bytes
    file: { class: 'rotating_file', filename: 'app.log', maxBytes: '1MB' },
  },
});

configureLogging({
  version: 1,
  handlers: {
    // 5. A required option left out.
    // @ts-expect-error a file handler needs filename
    file: { class: 'logging.FileHandler', mode: 'a' },
  },
});

// 6. A misspelt level name.
// @ts-expect-error 'warnig' is not a level
createModuleLogger('app', { level: 'warnig' });

// 7. A misspelt MongoDB option in the short form.
// @ts-expect-error batchsize is not a MongoTransport option (batchSize is)
configureLogging({ mongo: { uri: 'mongodb://127.0.0.1:27017/app', batchsize: 10 } });

// 8. A connection string passed where a client is expected.
// @ts-expect-error client is a MongoClient, Db or Collection; a URI goes in uri
new MongoTransport({ client: 'mongodb://127.0.0.1:27017/app' });

// 9. Issue 12 (request context): `true` for the access log's logger name, a string for the fields.
// @ts-expect-error accessLog is a logger name or false, not true
requestContext({ accessLog: true });
// @ts-expect-error the fields are an object of record attributes, not a string
runWithLogContext('r-1', () => 1);
// @ts-expect-error a LoggerAdapter's extra is an object of record attributes
new LoggerAdapter(createModuleLogger('app'), 'extra');
