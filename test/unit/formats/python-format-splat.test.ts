import type { TransformableInfo } from 'logform';
import { MESSAGE } from 'triple-beam';
import winston from 'winston';
import Transport from 'winston-transport';
import { pythonFormat } from '../../../formats/python-format';
import { setPythonCompat } from '../../../src/logger/python-compat';
import { WINSTON_LEVELS } from '../../../src/record/levels';
import { toLogRecord } from '../../../src/record/record';
import { captureStderr } from '../../helpers/capture-stderr';
import { createModuleLogger, resetLogging } from '../../../src/logger/create-module-logger';

// winston's format.splat() before pythonFormat on a PLAIN winston logger: splat() has already
// interpolated info.message with util.format, so that message is final (args consumed), as on module
// loggers. Expected lines are CPython 3.11's for the equivalent calls, with
// logging.basicConfig(format='%(name)s:%(message)s', level=logging.DEBUG, stream=sys.stdout):
//   logging.info('count %d items', 5)                     → root:count 5 items
//   logging.info('%s and %s', 'one', 'two')               → root:one and two
//   logging.info('%s', '100%')                            → root:100%
//   logging.info('x %s', 'a', extra={'user': 'bob'})      → root:x a   ('%(message)s:%(user)s' → root:x a:bob)
//   logging.info('count', 5)                              → --- Logging error --- (TypeError: not all
//                                                           arguments converted during string formatting)

const { combine, errors, json, splat } = winston.format;

/** Collects what a transport receives: the rendered line and the info itself. */
class LinesTransport extends Transport {
  constructor(options?: Transport.TransportStreamOptions) {
    super(options);
  }

  readonly lines: string[] = [];
  readonly infos: TransformableInfo[] = [];
  override log(info: TransformableInfo, next: () => void): void {
    this.lines.push(String((info as Record<symbol, unknown>)[MESSAGE]));
    this.infos.push(info);
    next();
  }
}

function plainLogger(format: winston.Logform.Format, ...transports: Transport[]): winston.Logger {
  return winston.createLogger({ levels: WINSTON_LEVELS, level: 'debug', format, transports });
}

describe('splat() then pythonFormat on a plain winston logger', () => {
  it('renders the interpolated message once (the outside review’s repro), with nothing reported', async () => {
    const sink = new LinesTransport();
    const log = plainLogger(combine(splat(), pythonFormat('%(name)s:%(message)s')), sink);
    const stderr = await captureStderr(() => {
      log.info('count %d items', 5);
      log.info('%s and %s', 'one', 'two');
    });
    expect(sink.lines).toEqual(['root:count 5 items', 'root:one and two']);
    expect(stderr).toBe('');
  });

  it('does not parse the interpolated message again: a literal % from an argument stays', async () => {
    const sink = new LinesTransport();
    const log = plainLogger(combine(splat(), pythonFormat('%(name)s:%(message)s')), sink);
    const stderr = await captureStderr(() => {
      log.info('%s', '100%');
      log.info('%d%% of %s', 50, '%d'); // util.format: '50% of %d'
    });
    expect(sink.lines).toEqual(['root:100%', 'root:50% of %d']);
    expect(stderr).toBe('');
  });

  it('%(msg)s is the final message and %(args)s is empty, as on module loggers', () => {
    const sink = new LinesTransport();
    const log = plainLogger(combine(splat(), pythonFormat('%(message)s|%(msg)s|%(args)s')), sink);
    log.info('count %d items', 5);
    expect(sink.lines).toEqual(['count 5 items|count 5 items|()']);
  });

  it('a trailing metadata object: the message is interpolated and its keys are record attributes', () => {
    const sink = new LinesTransport();
    const log = plainLogger(combine(splat(), pythonFormat('%(name)s:%(message)s:%(user)s')), sink);
    log.info('x %s', 'a', { user: 'bob' });
    expect(sink.lines).toEqual(['root:x a:bob']);
  });

  it('works with pythonFormat on a transport (its copy of the info) and json() on another', () => {
    const py = new LinesTransport({ format: pythonFormat('%(name)s:%(message)s') });
    const js = new LinesTransport({ format: json() });
    const log = plainLogger(splat(), py, js);
    log.info('count %d items', 5);
    log.info('x %s', 'a', { user: 'bob' });
    expect(py.lines).toEqual(['root:count 5 items', 'root:x a']);
    expect(js.lines).toEqual([
      '{"level":"info","message":"count 5 items"}',
      '{"level":"info","message":"x a","user":"bob"}',
    ]);
  });

  it('with format.errors(): an Error after the % arguments is still the traceback (splat() drops it)', () => {
    const sink = new LinesTransport();
    const fmt = '%(levelname)s:%(name)s:%(message)s';
    const log = plainLogger(combine(errors({ stack: true }), splat(), pythonFormat(fmt)), sink);
    const err = new Error('boom');
    log.error('failed %s', 'x', err);
    log.error(err);
    // CPython: logging.error('failed %s', 'x', exc_info=err) → 'ERROR:root:failed x' + traceback.
    expect(sink.lines).toEqual([`ERROR:root:failed x\n${err.stack}`, `ERROR:root:boom\n${err.stack}`]);
  });

  it("toLogRecord (the MongoDB document's source) has the final message and no args", () => {
    const sink = new LinesTransport({ format: pythonFormat('%(message)s') });
    const log = plainLogger(splat(), sink);
    log.info('count %d items', 5);
    const record = toLogRecord(sink.infos[0]!);
    expect([record.msg, record.args, record.message]).toEqual(['count 5 items', [], 'count 5 items']);
  });
});

describe('splat() then pythonFormat in Python compatibility mode', () => {
  afterEach(() => setPythonCompat(false));

  it('renders the interpolated message once; a message splat() left alone fails as CPython’s does', async () => {
    setPythonCompat(true);
    const sink = new LinesTransport();
    const log = plainLogger(combine(splat(), pythonFormat('%(name)s:%(message)s')), sink);
    const stderr = await captureStderr(() => {
      log.info('count %d items', 5);
      log.info('count', 5);
    });
    expect(sink.lines).toEqual(['root:count 5 items']);
    expect(stderr).toBe(
      "--- Logging error --- [TypeError: not all arguments converted during string formatting] Message: 'count'\n",
    );
  });
});

describe('pythonFormat then splat() on a plain winston logger', () => {
  it("the line is pythonFormat's own merge (once); splat() only changes info.message for later formats", () => {
    const py = new LinesTransport();
    const js = new LinesTransport({ format: json() });
    const log = plainLogger(combine(pythonFormat('%(name)s:%(message)s'), splat()), py);
    log.add(js);
    log.info('count %d items', 5);
    log.info('%s', '100%');
    expect(py.lines).toEqual(['root:count 5 items', 'root:100%']);
    expect(js.lines).toEqual([
      '{"level":"info","message":"count 5 items"}',
      '{"level":"info","message":"100%"}',
    ]);
  });
});

describe('pythonFormat without splat() on a plain winston logger (unchanged)', () => {
  it('merges msg % args with Python’s rules', () => {
    const sink = new LinesTransport();
    const log = plainLogger(pythonFormat('%(name)s:%(message)s'), sink);
    log.info('count %d items', 5);
    log.info('%s', '100%');
    expect(sink.lines).toEqual(['root:count 5 items', 'root:100%']);
  });

  it('a message without % and extra arguments keeps them (CPython drops the record; winston prints the message alone)', async () => {
    const sink = new LinesTransport();
    const log = plainLogger(pythonFormat('%(name)s:%(message)s'), sink);
    await captureStderr(() => {
      log.info('count', 5);
      // The very info splat() makes of .info('count %d items', 5); without splat() it is the
      // caller's own message, so its argument is not taken as already interpolated.
      log.info('count 5 items', 5);
    });
    expect(sink.lines).toEqual(['root:count 5', 'root:count 5 items 5']);
  });

  it('the same, with splat() on the logger: a message splat() did not change is merged as without it', async () => {
    const sink = new LinesTransport();
    const log = plainLogger(combine(splat(), pythonFormat('%(name)s:%(message)s')), sink);
    await captureStderr(() => {
      log.info('count', 5);
      log.info('count 5 items', 5);
      log.info('hello', 'a', 'b'); // splat() empties [SPLAT] here; the record keeps the call's arguments
    });
    expect(sink.lines).toEqual(['root:count 5', 'root:count 5 items 5', 'root:hello a b']);
  });
});

describe('splat() on a module logger (logger level) and pythonFormat on its handler', () => {
  afterEach(() => resetLogging());

  it("Python's args are the call's own: splat() splicing winston's [SPLAT] does not empty them", () => {
    // CPython 3.11 drops log.info('hello', 'a', 'b') with a Logging error; the bundle keeps such a record
    // as '<msg> <args…>'. splat() (no tokens, two arguments) splices [SPLAT] empty: the line must not read 'hello'.
    const sink = new LinesTransport({ format: pythonFormat('%(name)s:%(message)s') });
    const log = createModuleLogger('mod.splat', {
      level: 'DEBUG',
      propagate: false,
      format: splat(),
      transports: [sink],
    });
    log.info('hello', 'a', 'b');
    log.info('user %s', 'bob');
    expect(sink.lines).toEqual(['mod.splat:hello a b', 'mod.splat:user bob']);
  });
});
