import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { numberFor as laposteNumber } from '../../fixtures/laposte/testing.ts';
import { numberFor as upsNumber } from '../../fixtures/ups/testing.ts';

// Carrier detection and unmapped codes through the real binary.

const { world } = useCliEnvs();
const SLOW_MS = 150_000;

// Every format and check digit is tested without a process in src/robot-kit/carrier-detection.test.ts.
describe('parcelbot detect', () => {
  it('names the carrier of a number, with its check digit, as JSON', async () => {
    const { env } = await world();
    const result = await runCli(['detect', '1Z5R89390357567127', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { carrier: string; candidates: { carrier: string; checkDigit: string }[] };
    expect(answer.carrier).toBe('ups');
    expect(answer.candidates[0]).toMatchObject({ carrier: 'ups', checkDigit: 'valid' });
  });

  it('refuses a mistyped number with exit 2 and the reason', async () => {
    const { env } = await world();
    const result = await runCli(['detect', '1Z5R89390357567128'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/looks like UPS \(ups\) but its check digit is wrong: check for a typo/);
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

  it('takes --carrier as track does: in any case, and an unknown one is bad input, not "no codes"', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const tracked = await runCli(['track', laposteNumber('unknown-code'), '--carrier', 'laposte'], env);
    expect(tracked.code, tracked.stderr).toBe(0);
    const upperCase = await runCli(['codes', '--unmapped', '--carrier', 'LaPoste', '--json'], env);
    expect(upperCase.code, upperCase.stderr).toBe(0);
    expect(JSON.parse(upperCase.stdout)).toEqual([expect.objectContaining({ carrier: 'laposte', code: 'XX9' })]);
    const unknown = expectOneLineFailure(await runCli(['codes', '--unmapped', '--carrier', 'nope'], env), 2, 'unknown carrier');
    expect(unknown).toMatch(/^parcelbot: --carrier: unknown carrier "nope": expected one of .*\blaposte\b/);
  });
});
