import { ConfigError } from '../../../src/errors';
import { requestContext } from '../../../src/http/request-context';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (ConfigError.is(err)) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('requestContext(options) validation (at creation)', () => {
  it('accepts no options and every documented option', () => {
    expect(typeof requestContext()).toBe('function');
    expect(
      typeof requestContext({
        header: 'X-Trace-Id',
        responseHeader: false,
        maxIdLength: 64,
        generateId: () => 'x',
        accessLog: 'http.access',
        clock: () => 0,
      }),
    ).toBe('function');
    expect(typeof requestContext({ header: false, accessLog: false })).toBe('function');
  });

  it('names each bad key, its value and what is allowed, all at once', () => {
    expect(
      problemsOf(() =>
        requestContext({
          header: 'bad header',
          responseHeader: 'yes',
          maxIdLength: 0,
          generateId: 'uuid',
          accessLog: '',
          clock: 5,
          acessLog: 'typo',
        } as never),
      ),
    ).toEqual([
      'requestContext.acessLog: unknown option; allowed: header, responseHeader, maxIdLength, generateId, accessLog, clock',
      `requestContext.header: "bad header" is not allowed; use a header name such as 'x-request-id', or false`,
      'requestContext.responseHeader: "yes" is not allowed; use true or false',
      'requestContext.maxIdLength: 0 is not allowed; use an integer from 1 to 1024',
      'requestContext.generateId: "uuid" is not allowed; use a function returning a string',
      `requestContext.accessLog: "" is not allowed; use a module logger name such as 'http.access', or false`,
      'requestContext.clock: 5 is not allowed; use a function returning milliseconds',
    ]);
    expect(problemsOf(() => requestContext({ maxIdLength: 2000 }))).toEqual([
      'requestContext.maxIdLength: 2000 is not allowed; use an integer from 1 to 1024',
    ]);
    expect(problemsOf(() => requestContext({ accessLog: true } as never))[0]).toContain(
      'requestContext.accessLog: true is not allowed',
    );
    expect(problemsOf(() => requestContext('x-request-id' as never))[0]).toBe(
      'requestContext: options "x-request-id" is not allowed; use an object with header, responseHeader, maxIdLength, generateId, accessLog, clock',
    );
  });
});
