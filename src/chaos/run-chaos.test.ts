import { describe, expect, it } from 'vitest';
import { chaosOptionsFrom, FULL_RUN, SHORT_RUN } from './run-chaos.ts';

describe('the options of npm run chaos', () => {
  it.each([
    [[], {}, { ...FULL_RUN, keep: false }],
    [['--short'], {}, { ...SHORT_RUN, keep: false }],
    [[], { CHAOS_SHORT: '1' }, { ...SHORT_RUN, keep: false }],
    [['--parcels', '2000', '--kills', '7', '--seed', '3', '--chaos-seconds', '90', '--keep'], {}, { ...FULL_RUN, parcels: 2000, kills: 7, seed: 3, chaosMs: 90_000, keep: true }],
  ])('%j with %j', (args, env, options) => {
    expect(chaosOptionsFrom(args, env)).toEqual(options);
  });

  it.each([
    [['--parcels', 'many'], '--parcels: expected a whole number, e.g. --parcels 5'],
    [['--fast'], 'unknown option --fast: use --short, --keep, --parcels N, --kills N, --seed N, --chaos-seconds N'],
  ])('refuses %j in one line', (args, message) => {
    expect(() => chaosOptionsFrom(args, {})).toThrow(message);
  });
});
