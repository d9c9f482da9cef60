import { PythonFormatError } from './python-format-error';
import { codePointLength, strRepr } from './py-repr';

/** Literal text, or the name of a `$name` / `${name}` placeholder. */
export type TemplateToken = string | { readonly name: string; readonly pos: number };

// string.Template.pattern: $$, $identifier, ${identifier}, or an invalid '$' (ASCII identifiers).
const PATTERN = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\}|())/gi;

/**
 * Splits a `string.Template` into tokens, up to the first invalid `$` (a bare `$`), whose index is
 * returned as `invalidAt` (-1 when there is none) for the caller to reject or raise later.
 */
export function parseTemplate(fmt: string): { tokens: TemplateToken[]; invalidAt: number } {
  const tokens: TemplateToken[] = [];
  let last = 0;
  let lit = '';
  let invalidAt = -1;
  for (const m of fmt.matchAll(PATTERN)) {
    const at = m.index;
    lit += fmt.slice(last, at);
    last = at + m[0].length;
    if (m[1] !== undefined) {
      lit += '$';
    } else if (m[2] !== undefined || m[3] !== undefined) {
      if (lit !== '') tokens.push(lit);
      lit = '';
      tokens.push({ name: m[2] ?? m[3] ?? '', pos: at });
    } else {
      invalidAt = at;
      break;
    }
  }
  if (invalidAt < 0) lit += fmt.slice(last);
  if (lit !== '') tokens.push(lit);
  return { tokens, invalidAt };
}

// str.splitlines() also breaks on the FS/GS/RS control characters \x1c-\x1e.
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g;

/**
 * `Template.substitute`'s error for the invalid `$` at `at`: Python counts from just after the `$`,
 * lines as `str.splitlines` splits them, columns from 1.
 */
export function invalidPlaceholder(fmt: string, at: number): PythonFormatError {
  const i = at + 1;
  const before = fmt.slice(0, i);
  let lineno = 1;
  // Python's lines: str.splitlines() of the text before the placeholder.
  let lineStart = 0;
  for (const m of before.matchAll(LINE_BREAK)) {
    lineno++;
    lineStart = m.index + m[0].length;
  }
  // Python counts code points.
  const colno = codePointLength(fmt.slice(lineStart, i));
  return new PythonFormatError(
    'ValueError',
    'format',
    `Invalid placeholder in string: line ${lineno}, col ${colno}`,
    {
      position: at,
      detail: `in ${strRepr(fmt)}`,
    },
  );
}
