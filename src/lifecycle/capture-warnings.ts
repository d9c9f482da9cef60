import { createModuleLogger } from '../logger/create-module-logger';

type WarningListener = (warning: Error) => void;

// Node's own printer is the 'warning' listener its bootstrap adds (lib/internal/process/warning.js,
// `onWarning`; absent under --no-warnings or NODE_NO_WARNINGS=1). It is found by that name: a public
// handle to it does not exist.
const NODE_PRINTER = 'onWarning';

let capture: { listener: WarningListener; printers: WarningListener[] } | undefined;

function logWarning(warning: Error): void {
  const code = (warning as { code?: unknown }).code;
  const detail = (warning as { detail?: unknown }).detail;
  // Node's printed form without its `(node:pid)` prefix (the record has the process id).
  let text = `${typeof code === 'string' ? `[${code}] ` : ''}${warning.name}: ${warning.message}`;
  if (typeof detail === 'string' && detail) text += `\n${detail}`;
  createModuleLogger('py.warnings').warning('%s', text);
}

/**
 * Python's `logging.captureWarnings(capture)` for Node's process warnings: with `true`, every
 * `'warning'` event (`process.emitWarning`, deprecations, MaxListenersExceeded…) is logged at WARNING
 * through the `py.warnings` module logger as `[DEP0005] DeprecationWarning: <message>`, and Node's
 * default printing of warnings to stderr stops; `false` restores it. Other `'warning'` listeners are
 * left alone. Calling it twice with the same value does nothing.
 *
 * Unlike Python (which gives `py.warnings` a NullHandler, so warnings vanish when logging is not
 * configured), an unconfigured app still sees them on stderr, through the bundle's default handler.
 */
export function captureWarnings(enable: boolean): void {
  if (enable) {
    if (capture !== undefined) return;
    const printers = (process.listeners('warning') as WarningListener[]).filter(
      (l) => l.name === NODE_PRINTER,
    );
    for (const p of printers) process.removeListener('warning', p);
    const listener: WarningListener = (w) => {
      if (w instanceof Error) logWarning(w);
    };
    process.on('warning', listener);
    capture = { listener, printers };
  } else {
    if (capture === undefined) return;
    process.removeListener('warning', capture.listener);
    // Back in front, where Node's bootstrap put it.
    for (const p of [...capture.printers].reverse()) process.prependListener('warning', p);
    capture = undefined;
  }
}
