// Jest setup file (every test file): a passing run prints only the runner's output. The bundle's transports
// report each fault once on 'warn' and as one `winston-pylogging: …` line on stderr; the tests that provoke
// faults check the 'warn' events, so the stderr copies of those reports are kept out of the run's output here.
// Everything else written to stderr passes through, and PYLOG_TEST_SHOW_FAULTS=1 shows the reports too.
// A test that spies on process.stderr.write itself still sees every line (its spy sits on top of this).
const PREFIX = 'winston-pylogging: ';

if (process.env.PYLOG_TEST_SHOW_FAULTS !== '1') {
  const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
  process.stderr.write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string' && chunk.startsWith(PREFIX)) {
      const cb = rest.find((a) => typeof a === 'function') as (() => void) | undefined;
      if (cb !== undefined) process.nextTick(cb);
      return true;
    }
    return write(chunk, ...rest);
  };
}
