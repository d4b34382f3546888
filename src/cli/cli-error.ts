/** Exit codes of every command: documented in the README. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, unknownToCarrier: 3 } as const;

/** Bad input from the person at the terminal: exit 2 with this one line. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
