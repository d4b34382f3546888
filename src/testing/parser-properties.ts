import fc from 'fast-check';
import { expect } from 'vitest';
import { ERROR_CODES, RobotError } from '../robot-kit/index.ts';

/**
 * Runs per property. Small by default, so the suite stays fast; `FC_NUM_RUNS=20000` searches
 * harder. A failure prints its seed and the smallest input fast-check shrank it to; `FC_SEED=<seed>`
 * runs the same inputs again.
 */
export const PROPERTY_RUNS: fc.Parameters<unknown> = {
  numRuns: Number(process.env.FC_NUM_RUNS) > 0 ? Number(process.env.FC_NUM_RUNS) : 300,
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
};

/**
 * The property every parser of outside input keeps: whatever `inputs` gives it, `parse` either
 * returns what `check` accepts (the domain's types hold), or throws a RobotError with a
 * registered code and evidence. A TypeError, a RangeError or any other throw breaks it.
 */
export async function assertParsesOrRefuses<Input, Output>(
  inputs: fc.Arbitrary<Input>,
  parse: (input: Input) => Output | Promise<Output>,
  check: (output: Output, input: Input) => void,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(inputs, async (input) => {
      let output: Output;
      try {
        output = await parse(input);
      } catch (error) {
        expectClassifiedError(error);
        return;
      }
      check(output, input);
    }),
    PROPERTY_RUNS,
  );
}

/** A RobotError the runtime knows what to do with (its code is registered), carrying what the robot saw. */
export function expectClassifiedError(error: unknown): asserts error is RobotError {
  if (!(error instanceof RobotError)) throw new Error(`expected a RobotError, got ${String(error)}`, { cause: error });
  expect(Object.keys(ERROR_CODES)).toContain(error.code);
  expect(error.message).not.toBe('');
  expect(Object.values(error.evidence ?? {}).some((value) => value !== undefined), `${error.code} "${error.message}" carries no evidence`).toBe(true);
}
