import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { numberFor as laposteNumber } from '../../fixtures/laposte/testing.ts';
import { numberFor as upsNumber } from '../../fixtures/ups/testing.ts';

// Carrier detection and unmapped codes through the real binary.

const { world } = useCliEnvs();
const SLOW_MS = 150_000;

describe('parcelbot detect', () => {
  it.each([
    ['1Z5R89390357567127', 'ups', 'valid'],
    ['EW112720413FR', 'laposte', 'valid'],
    ['6A12345678901', 'laposte', 'none'],
    ['3133421012', 'dhl', 'valid'],
    ['123456789012', 'fedex', 'valid'],
  ])('names %s a %s number, check digit %s', async (number, carrier, checkDigit) => {
    const { env } = await world();
    const result = await runCli(['detect', number, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { carrier: string; candidates: { carrier: string; checkDigit: string }[] };
    expect(answer.carrier).toBe(carrier);
    expect(answer.candidates[0]).toMatchObject({ carrier, checkDigit });
  });

  it.each([
    ['1Z5R89390357567128', /looks like UPS \(ups\) but its check digit is wrong: check for a typo/],
    ['EW112720414FR', /check digit is wrong/],
    ['HELLO', /matches no known tracking-number format/],
  ])('refuses %s with exit 2 and the reason', async (number, reason) => {
    const { env } = await world();
    const result = await runCli(['detect', number], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(reason);
  });
});

describe('track without --carrier', () => {
  it('asks the detected carrier, refuses a mistyped number, and lets --carrier override', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    // One after another: with no worker online each process opens the embedded store itself.
    const ups = await runCli(['track', upsNumber('delivered'), '--json'], env);
    const typo = await runCli(['track', '1Z5R89390357567128'], env);
    const forced = await runCli(['track', laposteNumber('delivered'), '--carrier', 'laposte', '--json'], env);
    expect(ups.code, ups.stderr).toBe(0);
    expect(JSON.parse(ups.stdout)).toMatchObject({ carrier: 'ups', status: 'delivered' });
    expect(expectOneLineFailure(typo, 2, 'typo')).toMatch(/check digit is wrong.*--carrier/);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ carrier: 'laposte' });
  });
});

describe('parcelbot codes --unmapped', () => {
  it('lists the carrier codes no status map knows, as robots met them', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const before = await runCli(['codes', '--unmapped'], env);
    expect(before.stdout).toBe('no unmapped carrier codes\n');
    const tracked = await runCli(['track', laposteNumber('unknown-code'), '--carrier', 'laposte'], env);
    expect(tracked.code, tracked.stderr).toBe(0);
    const listed = await runCli(['codes', '--unmapped', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ carrier: 'laposte', code: 'XX9', count: 1 })]);
  });
});
