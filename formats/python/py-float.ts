/**
 * Marks a number as a Python `float` for the renderer. JavaScript has one number type, so an
 * integral value such as `2` would otherwise render as the int `2`; `new PyFloat(2)` renders `2.0`.
 */
export class PyFloat {
  constructor(readonly value: number) {}

  /** Lets a PyFloat be used where a number is expected (`+f`, `f * 2`). */
  valueOf(): number {
    return this.value;
  }
}
