/**
 * Renders an error as traceback text, as Python's `Formatter.formatException` does for `exc_info`:
 * the stack of each exception, causes first, joined by Python's chaining sentence, and no trailing
 * newline. The stack frames themselves stay in V8's `    at …` form, which is what Node users read.
 */
export function formatException(value: unknown): string {
  // `log.exception()` with no error: Python formats exc_info (None, None, None) as this line.
  if (value === null || value === undefined) return 'NoneType: None';
  const chain: unknown[] = [];
  const seen = new Set<unknown>();
  let current: unknown = value;
  // Walk `cause` links (Python's __cause__), stopping at cycles and after a sane depth.
  while (current !== undefined && current !== null && !seen.has(current) && chain.length < 32) {
    seen.add(current);
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  const parts: string[] = [];
  for (let i = chain.length - 1; i >= 0; i--) {
    parts.push(renderOne(chain[i]));
    if (i > 0) parts.push('\nThe above exception was the direct cause of the following exception:\n\n');
  }
  const text = parts.join('');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function renderOne(value: unknown): string {
  if (value instanceof Error) {
    let stack: unknown;
    try {
      stack = value.stack;
    } catch {
      stack = undefined;
    }
    const head = `${safeString(value.name) || 'Error'}: ${safeString(value.message)}`;
    let text = typeof stack === 'string' && stack.length > 0 ? stack : head;
    if (value instanceof AggregateError && Array.isArray(value.errors)) {
      value.errors.forEach((sub: unknown, i) => {
        text += `\n  [${i + 1}/${value.errors.length}] ${renderOne(sub).replace(/\n/g, '\n  ')}`;
      });
    }
    return text + '\n';
  }
  // JavaScript can throw anything; Python cannot, so there is no precedent: show the type and value.
  return `${value === null ? 'null' : typeof value}: ${safeString(value)}\n`;
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
