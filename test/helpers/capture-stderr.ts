/** One turn of the event loop, for what a transport writes on the next tick. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Runs `fn` (and one more event-loop turn) with process.stderr.write captured; returns what was written. */
export async function captureStderr(fn: () => unknown): Promise<string> {
  const saved = Object.getOwnPropertyDescriptor(process.stderr, 'write');
  let text = '';
  process.stderr.write = (chunk: unknown): boolean => {
    text += String(chunk);
    return true;
  };
  try {
    await fn();
    await tick();
  } finally {
    if (saved === undefined) delete (process.stderr as { write?: unknown }).write;
    else Object.defineProperty(process.stderr, 'write', saved);
  }
  return text;
}
