import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storedShipment } from '../../fixtures/testing/follow-ups.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { fixedClock } from '../infra/clock.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import { type Store, createStore } from '../store/store.ts';
import { type TestDatabase, openTestDatabase } from '../store/test-database.ts';
import { createEffectLedger } from './effect-ledger.ts';
import { EffectUncertainError } from './effect-uncertain-error.ts';
import type { EffectLedger } from './follow-up-executor.ts';

const clock = fixedClock('2026-03-10T09:00:00Z');
const FOLLOW_UP = 'fu-1-refund-0123456789abcdef';
const KEY = `${FOLLOW_UP}-oms-refund`;

/** A target that counts its calls, as an OMS would see them. */
function target() {
  const counter = {
    calls: 0,
    act: async () => {
      counter.calls += 1;
      return { refundRef: 'RF-1' };
    },
  };
  return counter;
}

/** The target answered with an error status. */
const answered = (code: 'CARRIER_RATE_LIMITED' | 'CARRIER_UNAVAILABLE', status: number) => new RobotError(code, `HTTP ${status}`, { evidence: { status } });

describe('the effect ledger', () => {
  let db: TestDatabase;
  let store: Store;
  let ledger: EffectLedger;
  beforeEach(async () => {
    db = await openTestDatabase();
    store = createStore(db);
    const shipment = await storedShipment(store, clock.now());
    await store.followUps.create(
      { id: FOLLOW_UP, shipmentId: shipment.id, kind: 'refund', state: 'proposed', ruleId: 'r', params: {}, reason: 'lost', dueAt: clock.now().toISOString(), approvalRequired: false },
      { proposed: { actor: 'rule:r', event: 'proposed' }, policy: { actor: 'system', event: 'approved_automatically' } },
      clock.now(),
    );
    ledger = createEffectLedger(store, FOLLOW_UP, clock);
  });
  afterEach(async () => db.drop());

  /** What a worker killed between the call and its record leaves behind. */
  const crashedAfterTheCall = () => store.effects.claim({ key: KEY, followUpId: FOLLOW_UP, target: 'oms' }, clock.now());
  const effectEvents = async () => (await store.followUps.audit(FOLLOW_UP)).filter((entry) => entry.event.startsWith('effect_')).map((entry) => entry.event);

  it('calls once, records the result, and returns it again without calling', async () => {
    const oms = target();
    const spec = { target: 'oms', request: { amount: 10 }, call: () => oms.act() };
    expect(await ledger.once(KEY, spec)).toEqual({ refundRef: 'RF-1' });
    expect(await ledger.once(KEY, spec)).toEqual({ refundRef: 'RF-1' });
    expect(oms.calls).toBe(1);
    expect(await store.effects.get(KEY)).toMatchObject({ state: 'done', request: { amount: 10 }, response: { refundRef: 'RF-1' } });
    expect(await effectEvents()).toEqual(['effect_started', 'effect_done']);
  });

  it('after a crash, asks the target and takes what it found, without calling', async () => {
    await crashedAfterTheCall();
    const oms = target();
    const found = await ledger.once(KEY, { target: 'oms', call: () => oms.act(), reconcile: async () => ({ refundRef: 'RF-0' }) });
    expect(found).toEqual({ refundRef: 'RF-0' });
    expect(oms.calls).toBe(0);
    expect(await store.effects.get(KEY)).toMatchObject({ state: 'done', response: { refundRef: 'RF-0' } });
  });

  it('after a crash, calls when the target has no trace of the effect', async () => {
    await crashedAfterTheCall();
    const oms = target();
    expect(await ledger.once(KEY, { target: 'oms', call: () => oms.act(), reconcile: async () => undefined })).toEqual({ refundRef: 'RF-1' });
    expect(oms.calls).toBe(1);
    expect(await effectEvents()).toEqual(['effect_restarted', 'effect_done']);
  });

  it('after a crash, calls again with the same key when the target takes it again (retrySafe)', async () => {
    await crashedAfterTheCall();
    const oms = target();
    expect(await ledger.once(KEY, { target: 'oms', call: () => oms.act(), retrySafe: true })).toEqual({ refundRef: 'RF-1' });
    expect(oms.calls).toBe(1);
  });

  it('after a crash, does not repeat what it cannot check: EffectUncertainError for a manager', async () => {
    await crashedAfterTheCall();
    const smtp = target();
    const error = await rejectionOf(ledger.once(KEY, { target: 'smtp', call: () => smtp.act() }));
    expect(error).toBeInstanceOf(EffectUncertainError);
    expect(error).toMatchObject({ code: 'EFFECT_UNCERTAIN', policy: 'final' });
    expect(error.message).toBe(`smtp may have acted on ${KEY} before a worker stopped: check smtp by hand; it was not done twice`);
    expect(smtp.calls).toBe(0);
    expect((await store.effects.get(KEY))?.state).toBe('started');
  });

  it('calls again after the target refused (4xx: nothing happened)', async () => {
    const refusing = { target: 'oms', call: () => Promise.reject(answered('CARRIER_RATE_LIMITED', 429)) };
    expect((await rejectionOf(ledger.once(KEY, refusing))).message).toBe('HTTP 429');
    expect(await store.effects.get(KEY)).toMatchObject({ state: 'failed', error: 'CARRIER_RATE_LIMITED: HTTP 429' });
    const oms = target();
    expect(await ledger.once(KEY, { target: 'oms', call: () => oms.act() })).toEqual({ refundRef: 'RF-1' });
    expect(await effectEvents()).toEqual(['effect_started', 'effect_refused', 'effect_started', 'effect_done']);
  });

  it('treats a 5xx or a timeout as maybe done: the next attempt must reconcile', async () => {
    await rejectionOf(ledger.once(KEY, { target: 'oms', call: () => Promise.reject(answered('CARRIER_UNAVAILABLE', 503)) }));
    expect((await store.effects.get(KEY))?.state).toBe('started');
    const oms = target();
    await rejectionOf(ledger.once(KEY, { target: 'oms', call: () => oms.act() }));
    expect(oms.calls).toBe(0);
  });
});
