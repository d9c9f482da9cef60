import type { Prng } from './prng';
import { text } from './values';

/** One rotation sequence: a RotatingFileHandler writing `messages` (reopened before the listed ones). */
export interface RotationCase {
  readonly id: string;
  readonly maxBytes: number;
  readonly backupCount: number;
  readonly mode: 'a' | 'w';
  readonly delay: boolean;
  /** Appended to each record (`StreamHandler.terminator`). */
  readonly terminator: string;
  /** Files present before the handler opens (a previous run's log and backups). */
  readonly initial: Record<string, string>;
  /** Indexes of messages before which the handler is closed and a new one opened (a restart). */
  readonly reopen: number[];
  readonly messages: string[];
}

function message(rng: Prng): string {
  const r = rng.next();
  if (r < 0.1) return '';
  if (r < 0.5) return 'x'.repeat(rng.int(1, 30));
  if (r < 0.6) return 'y'.repeat(rng.int(30, 250));
  // Non-ASCII and non-BMP text: sizes are counted in UTF-8 bytes. No CR/LF/NUL-only surprises: the
  // oracle writes text files exactly as given.
  // eslint-disable-next-line no-control-regex -- the line breaks str.splitlines() knows
  return text(rng, 12).replace(/[\r\u2028\u2029\x85\x1c-\x1e\v\f]/g, '.');
}

/** A random rotation sequence (sizes, maxBytes, backupCount, existing backups, restarts). */
export function rotationCase(rng: Prng, id: string): RotationCase {
  const initial: Record<string, string> = {};
  if (rng.chance(0.3)) initial['app.log'] = 'old\n'.repeat(rng.int(0, 20));
  if (rng.chance(0.2)) initial['app.log.1'] = 'backup one\n';
  if (rng.chance(0.1)) initial['app.log.3'] = 'backup three\n';
  const count = rng.int(1, 40);
  const messages = Array.from({ length: count }, () => message(rng));
  const reopen = messages.map((_, i) => i).filter((i) => i > 0 && rng.chance(0.05));
  return {
    id,
    maxBytes: rng.chance(0.1) ? 0 : rng.pick([1, 5, 10, 20, 50, 64, 100, 200, 512, rng.int(1, 300)]),
    backupCount: rng.pick([0, 1, 1, 2, 3, 5]),
    mode: rng.chance(0.2) ? 'w' : 'a',
    delay: rng.chance(0.3),
    terminator: rng.pick(['\n', '\n', '\n', '', '\r\n', ' | ', '\u2028']),
    initial,
    reopen,
    messages,
  };
}
