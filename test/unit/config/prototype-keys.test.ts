import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configureLogging } from '../../../src/config/configure-logging';
import { resetLogging } from '../../../src/logger/create-module-logger';
import { ConfigError } from '../../../src/errors';

// A configuration is data. JSON.parse turns "__proto__" into an ordinary own key; used as a property
// name later it would reach Object.prototype (issue 9: `{"errorFiles": {"__proto__": "x.log"}}` set
// Object.prototype.handlers process-wide). Every prototype-naming key is refused, with its path, and
// nothing changes.
let dir: string;
const standard = Object.getOwnPropertyNames(Object.prototype).sort();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-proto-'));
  resetLogging();
});
afterEach(() => {
  delete process.env.LOGGING_CONFIG;
  resetLogging();
  fs.rmSync(dir, { recursive: true, force: true });
});

function expectPrototypeClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(standard);
  const probe = {} as Record<string, unknown>;
  for (const key of ['handlers', 'level', 'filename', 'x', 'formatter']) expect(probe[key]).toBeUndefined();
}

function thrown(fn: () => void): ConfigError {
  try {
    fn();
  } catch (err) {
    if (ConfigError.is(err)) return err;
    throw err;
  }
  throw new Error('no ConfigError was thrown');
}

const cases: Array<[string, string, RegExp]> = [
  [
    'short form: errorFiles.__proto__ (the reported exploit)',
    '{"errorFiles": {"__proto__": "x.log"}}',
    /^errorFiles\.__proto__: the key "__proto__" is not allowed/,
  ],
  [
    'short form: levels.constructor',
    '{"levels": {"constructor": "INFO"}}',
    /^levels\.constructor: the key "constructor" is not allowed/,
  ],
  [
    'short form: a nested __proto__ in a file handler',
    '{"file": {"filename": "FILE", "__proto__": {"delay": true}}}',
    /^file\.__proto__: the key "__proto__" is not allowed/,
  ],
  [
    'short form: mongodb options',
    '{"console": false, "mongodb": {"uri": "mongodb://127.0.0.1/", "prototype": {}}}',
    /^mongodb\.prototype: the key "prototype" is not allowed/,
  ],
  [
    'dict form: a handler id',
    '{"version": 1, "handlers": {"__proto__": {"class": "console"}}, "root": {"handlers": []}}',
    /^handlers\.__proto__: the key "__proto__" is not allowed/,
  ],
  [
    'dict form: deep inside a logger, and inside an array',
    '{"version": 1, "loggers": {"app": {"level": "INFO", "filters": [{"constructor": 1}]}}}',
    /^loggers\.app\.filters\[0\]\.constructor: the key "constructor" is not allowed/,
  ],
  ['at the top level', '{"__proto__": {"level": "DEBUG"}}', /^__proto__: the key "__proto__" is not allowed/],
];

describe('keys that name a prototype are refused anywhere in a config', () => {
  it.each(cases)('%s, as a JSON file', (_what, json, message) => {
    const file = path.join(dir, 'logging.json');
    fs.writeFileSync(file, json.replace('FILE', path.join(dir, 'app.log').replace(/\\/g, '/')));
    const err = thrown(() => configureLogging(file));
    expect(err.problems[0]).toMatch(message);
    expect(err.problems[0]).toContain('a configuration key may not name a prototype');
    expectPrototypeClean();
    expect(fs.readdirSync(dir)).toEqual(['logging.json']); // nothing was created
  });

  it.each(cases)('%s, from LOGGING_CONFIG', (_what, json, message) => {
    const file = path.join(dir, 'logging.json');
    fs.writeFileSync(file, json.replace('FILE', path.join(dir, 'app.log').replace(/\\/g, '/')));
    process.env.LOGGING_CONFIG = file;
    expect(thrown(() => configureLogging()).problems[0]).toMatch(message);
    expectPrototypeClean();
  });

  it.each(cases)('%s, as an object parsed by the app', (_what, json, message) => {
    const config = JSON.parse(json.replace('FILE', path.join(dir, 'app.log').replace(/\\/g, '/'))) as object;
    expect(thrown(() => configureLogging(config as never)).problems[0]).toMatch(message);
    expectPrototypeClean();
  });

  it('a valid configuration still works afterwards (nothing was left broken process-wide)', () => {
    const bad = JSON.parse('{"errorFiles": {"__proto__": "x.log"}}') as object;
    expect(() => configureLogging(bad as never)).toThrow(ConfigError);
    expect(() => configureLogging({ console: false, levels: { app: 'INFO' } })).not.toThrow();
    expectPrototypeClean();
  });

  it('every bad key is named at once', () => {
    const bad = JSON.parse(
      '{"levels": {"__proto__": "INFO", "prototype": "INFO"}, "constructor": 1}',
    ) as object;
    expect(thrown(() => configureLogging(bad as never)).problems).toEqual([
      expect.stringMatching(/^levels\.__proto__: /),
      expect.stringMatching(/^levels\.prototype: /),
      expect.stringMatching(/^constructor: /),
    ]);
  });
});
