import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { KINDS } from './subjects';
import type { Kind } from './subjects';
import type { OtelResult } from '../../fixtures/clients/otel-app';

jest.setTimeout(60_000);

// @opentelemetry/instrumentation-winston 0.68 on winston 3 wraps two methods of winston's Logger class
// (`winston/lib/winston/logger.js`): `Logger.prototype.write(info)` gets the active context (under
// Symbol.for('opentelemetry.js.contrib.winston.context')) and, inside a valid span, `trace_id`, `span_id` and
// `trace_flags` fields added to the info before the logger format runs; `Logger.prototype.configure(options)`
// appends one OpenTelemetryTransportV3 to `options.transports` on every call (log sending). Real child process:
// the instrumentation hooks `require`, which jest's module system bypasses.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP = path.join(ROOT, 'test', 'fixtures', 'clients', 'otel-app.ts');
const run = promisify(execFile);

describe.each(KINDS)("OpenTelemetry's winston instrumentation on a %s logger", (kind: Kind) => {
  let result: OtelResult;

  beforeAll(async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', APP, kind], {
      cwd: ROOT,
      timeout: 45_000,
    });
    result = JSON.parse(stdout.trim().split('\n').pop()!) as OtelResult;
  });

  it('inside an active span, %(trace_id)s and %(span_id)s render the span; outside, the defaults', () => {
    const { traceId, spanId } = result.span;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(result.lines).toEqual([
      `a.b.c INFO inside span trace_id=${traceId} span_id=${spanId} trace_flags=01`,
      `a WARNING parent inside span trace_id=${traceId} span_id=${spanId} trace_flags=01`,
      `a.b.c INFO from a child trace_id=${traceId} span_id=${spanId} trace_flags=01`,
      'a.b.c INFO outside span trace_id=- span_id=- trace_flags=-',
    ]);
  });

  it('each call is exported exactly once, with the span it was made in', () => {
    const { traceId, spanId } = result.span;
    expect(
      result.records.map((r) => ({
        body: r.body,
        severityNumber: r.severityNumber,
        traceId: r.traceId,
        spanId: r.spanId,
      })),
    ).toEqual([
      // SeverityNumber INFO = 9, WARN = 13.
      { body: 'inside span', severityNumber: 9, traceId, spanId },
      { body: 'parent inside span', severityNumber: 13, traceId, spanId },
      { body: 'from a child', severityNumber: 9, traceId, spanId },
      { body: 'outside span', severityNumber: 9, traceId: undefined, spanId: undefined },
    ]);
  });

  it("a child logger's bindings are exported as attributes", () => {
    const child = result.records.filter((r) => r.body === 'from a child');
    expect(child.map((r) => r.attributes.requestId)).toEqual(['r-9']);
  });
});
