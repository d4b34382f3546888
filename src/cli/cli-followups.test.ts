import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { withCliApp } from '../../fixtures/cli/with-cli-app.ts';
import { decisionOf, storedShipment } from '../../fixtures/testing/follow-ups.ts';

// `parcelbot followups`, `followups approve` and `followups reject`, spawned. The follow-ups are
// proposed by this process first, as the rules would; runs of one world are sequential: the
// embedded store is one process's at a time.

const { world } = useCliEnvs();
/** Several spawns, each starting tsx and PGlite: generous, for a loaded CI machine. */
const SLOW_MS = 240_000;

/** Three follow-ups: a dear reshipment awaiting approval, a small refund due tomorrow, a manager case. */
async function proposeThree(env: Record<string, string>) {
  return withCliApp(env, async (app) => {
    const store = await app.store();
    const now = app.clock.now();
    const dear = await storedShipment(store, now, { trackingNumber: '6A22378604128', declaredValue: 249 });
    const small = await storedShipment(store, now, { trackingNumber: '6A96277824622', declaredValue: 29.9 });
    const tomorrow = new Date(now.getTime() + 24 * 3_600_000).toISOString();
    return {
      reshipment: (await app.followUps.propose(dear, decisionOf('reshipment'))).followUp,
      refund: (await app.followUps.propose(small, decisionOf('refund', { at: tomorrow }))).followUp,
      managerCase: (await app.followUps.propose(small, decisionOf('manager_case', { at: tomorrow }))).followUp,
    };
  });
}

describe('parcelbot followups', () => {
  it('lists follow-ups as a table or JSON, by state', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const { reshipment, refund } = await proposeThree(env);

    const all = await runCli(['followups'], env);
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +shipment +kind +state +due \(Paris\) +rule +value$/);
    expect(lines).toHaveLength(4);
    expect(all.stdout).toMatch(new RegExp(`^${reshipment.id} +6A22378604128 +reshipment +awaiting_approval +\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} +late-reshipment +249\\.00 EUR$`, 'm'));
    expect(all.stdout).toMatch(new RegExp(`^${refund.id} +6A96277824622 +refund +proposed +.+ +late-refund +29\\.90 EUR$`, 'm'));

    const waiting = await runCli(['followups', '--state', 'awaiting_approval', '--json'], env);
    expect(waiting.code, waiting.stderr).toBe(0);
    expect(JSON.parse(waiting.stdout)).toEqual([
      expect.objectContaining({ id: reshipment.id, trackingNumber: '6A22378604128', kind: 'reshipment', state: 'awaiting_approval', valueAtStake: 249, approvalRequired: true }),
    ]);
    expect((await runCli(['followups', '--state', 'failed'], env)).stdout).toBe('no follow-ups failed\n');

    const badState = expectOneLineFailure(await runCli(['followups', '--state', 'stuck'], env), 2, '--state stuck');
    expect(badState).toBe('parcelbot: --state: expected one of proposed, awaiting_approval, running, done, failed, cancelled');
  });

  it('approves and rejects by id, as cli:<user>; an unknown id or a follow-up past approval is exit 2', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const { reshipment, refund } = await proposeThree(env);

    const approved = await runCli(['followups', 'approve', reshipment.id], env);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^approved ${reshipment.id}: reshipment queued for \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\n$`));

    const twice = expectOneLineFailure(await runCli(['followups', 'approve', reshipment.id], env), 2, 'approved twice');
    expect(twice).toBe(`parcelbot: follow-up ${reshipment.id} is proposed: only one awaiting approval can be approved`);
    const unknown = expectOneLineFailure(await runCli(['followups', 'approve', 'fu-404-refund-0000000000000000'], env), 2, 'unknown id');
    expect(unknown).toBe('parcelbot: no follow-up fu-404-refund-0000000000000000: list them with parcelbot followups');

    const rejected = await runCli(['followups', 'reject', refund.id, '--reason', 'Voucher sent instead'], env);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toBe(`rejected ${refund.id}: cancelled\n`);
    expectOneLineFailure(await runCli(['followups', 'reject', refund.id], env), 2, 'rejected twice');
    expectOneLineFailure(await runCli(['followups', 'approve'], env), 2, 'no id');

    await withCliApp(env, async (app) => {
      const approval = (await app.followUps.get(reshipment.id))?.audit.at(-1);
      expect(approval).toMatchObject({ actor: expect.stringMatching(/^manager:cli:\S+$/), event: 'approved', toState: 'proposed' });
      // Queued by the CLI, on this world's Redis.
      expect(await (await app.followUps.queue.queue.getJob(reshipment.id))?.getState()).toBe('waiting');
      expect(await app.followUps.queue.queue.getJob(refund.id)).toBeUndefined();
      expect((await app.followUps.get(refund.id))?.audit.at(-1)).toMatchObject({ event: 'rejected', toState: 'cancelled', details: { reason: 'Voucher sent instead' } });
    });
  });
});
