/**
 * The error `fn` throws, which must be an instance of `type`: any other error is thrown on, and
 * returning without an error fails the test. For asserting on an error's fields (`problems`,
 * `failures`) rather than only on its message.
 */
export function thrownBy<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}
