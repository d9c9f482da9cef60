/**
 * Marks an array as a Python `tuple` for the renderer: `()`, `(1,)`, `(1, 2)` instead of list brackets.
 * The record's `args` is a tuple in Python, so `%(args)s` renders through this wrapper.
 */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}
