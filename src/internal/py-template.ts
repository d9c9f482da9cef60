import { PythonFormatError } from '../python-format-error';
import { strRepr } from './py-repr';

/** Literal text, or the name of a `$name` / `${name}` placeholder. */
export type TemplateToken = string | { readonly name: string; readonly pos: number };

// string.Template.pattern: $$, $identifier, ${identifier}, or an invalid '$' (ASCII identifiers).
const PATTERN = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\}|())/gi;

/**
 * Splits a `string.Template` into tokens. A bare `$` becomes an `invalid` error at its position,
 * reported the way `Template.substitute` words it, and only when `strict` (validation) asks for it
 * at parse time; otherwise the first invalid placeholder is returned for the caller to raise later.
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

/** `Template.substitute`'s error for an invalid placeholder at `i` (1-based line and column). */
export function invalidPlaceholder(fmt: string, i: number): PythonFormatError {
  const before = fmt.slice(0, i);
  const lines = before.split(/(?<=\r\n|\n|\r)/);
  let lineno = 1;
  let colno = 1;
  if (before !== '') {
    lineno = lines.length;
    colno = i - lines.slice(0, -1).join('').length;
  }
  return new PythonFormatError(
    'ValueError',
    'format',
    `Invalid placeholder in string: line ${lineno}, col ${colno}`,
    {
      position: i,
      detail: `in ${strRepr(fmt)}`,
    },
  );
}
