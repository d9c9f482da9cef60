import type { IncomingMessage, ServerResponse } from 'node:http';
import { getLogger } from '../../src/index';

// The seed's utils.py: helpers that log what they do at DEBUG (its logger's level is set by main's config).
const logger = getLogger('utils');

/** Largest request body read, in bytes: a login or an order is a few hundred. */
const MAX_BODY_BYTES = 64 * 1024;

/** An error that becomes an HTTP response with this status and message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading), with a fraction. */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Reads the request body and parses it as a JSON object; a 400 HttpError when it is not one. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const start = process.hrtime.bigint();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    logger.debug('Request body is not JSON (%d bytes): %s', size, (err as Error).message);
    throw new HttpError(400, 'the request body must be a JSON object');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    logger.debug('Request body is JSON but not an object (%d bytes)', size);
    throw new HttpError(400, 'the request body must be a JSON object');
  }
  logger.debug('Parsed a %d-byte JSON body in %.2f ms', size, elapsedMs(start));
  return body as Record<string, unknown>;
}

/** Sends `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
  logger.debug('Sent %d with a %d-byte JSON body', status, Buffer.byteLength(text));
}

/** A string field of a parsed body, or a 400 HttpError naming the field. */
export function stringField(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '')
    throw new HttpError(400, `"${key}" must be a non-empty string`);
  return value;
}
