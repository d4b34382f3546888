import fc from 'fast-check';
import { mutatedJson, stringsNamed } from './mutated-json.ts';
import { anyText, oddString } from './odd-input.ts';

/** What a carrier API can answer a tracking robot (any status, any body), for parser-properties.ts. */

/** A carrier's answer: its HTTP status and body. */
export interface Answer {
  status: number;
  body: string;
}

/** Any text with one of the carrier's documented `statuses`, or any status. */
export function anyAnswer(statuses: readonly number[]): fc.Arbitrary<Answer> {
  const status = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...statuses) }, fc.integer({ min: 100, max: 599 }));
  return fc.record({ status, body: anyText });
}

/**
 * A recorded answer broken in a few places (mutatedJson), mostly with the status it came with,
 * else another of the carrier's documented `statuses`, else any.
 */
export function mutatedAnswer(recorded: readonly { text: string; status: number }[], statuses: readonly number[]): fc.Arbitrary<Answer> {
  return fc.oneof(
    ...recorded.map(({ text, status }) =>
      fc.record({
        status: fc.oneof({ weight: 8, arbitrary: fc.constant(status) }, fc.constantFrom(...statuses), fc.integer({ min: 100, max: 599 })),
        body: mutatedJson([text]),
      }),
    ),
  );
}

/** An answer to a tracking call, and the numbers the call asked for. */
export interface TrackAnswer extends Answer {
  numbers: string[];
}

/**
 * `answers` to calls asking mostly for numbers the body names under `numberKeys` (so the parser
 * reads its shipments), else for any one to `maxNumbers` texts.
 */
export function trackAnswers(answers: fc.Arbitrary<Answer>, options: { numberKeys: readonly string[]; maxNumbers: number }): fc.Arbitrary<TrackAnswer> {
  const anyNumbers = fc.array(oddString, { minLength: 1, maxLength: options.maxNumbers });
  return answers.chain((answer) => {
    const named = [...new Set(options.numberKeys.flatMap((key) => stringsNamed(answer.body, key)))].slice(0, options.maxNumbers);
    const numbers = named.length === 0 ? anyNumbers : fc.oneof({ weight: 3, arbitrary: fc.shuffledSubarray(named, { minLength: 1 }) }, anyNumbers);
    return numbers.map((asked) => ({ ...answer, numbers: asked }));
  });
}
