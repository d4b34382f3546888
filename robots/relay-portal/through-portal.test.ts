import { describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/relay-portal/testing.ts';
import { foundSnapshot } from '../../fixtures/testing/found-snapshot.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { AGENT, useRelayRobot } from './test-portal.ts';

const { portal, robot, sessions, clock } = await useRelayRobot('track');

describe('tracking through the portal', () => {
  it('logs in with the authenticator code, searches (the results are drawn by the page script), reads the parcel', async () => {
    const [outcome] = await robot().track([numberFor('ready-for-pickup')]);
    const snapshot = foundSnapshot(outcome, 'ready-for-pickup');
    expect(snapshot).toMatchObject({ trackingNumber: numberFor('ready-for-pickup'), carrier: 'relay-portal', status: 'ready_for_pickup', product: 'Relay Standard' });
    expect(snapshot.events).toHaveLength(6);
    expect(snapshot.events[0]).toEqual({ at: '2024-07-09T10:00:00+02:00', code: 'RDY', label: 'Ready for pickup at relay', status: 'ready_for_pickup', location: 'Tabac de la Gare, Lyon', source: 'portal', robot: 'relay-portal' });
    expect(portal.stats()).toMatchObject({ loginAttempts: 1, codesChecked: 1, loginsSucceeded: 1, parcelSearches: 1 });
  });

  it('logs in without a second factor when the account has none', async () => {
    const [outcome] = await robot(AGENT).track([numberFor('collected')]);
    expect(foundSnapshot(outcome, 'collected')).toMatchObject({ status: 'delivered', isFinal: true });
    expect(portal.stats()).toMatchObject({ loginsSucceeded: 1, codesChecked: 0 });
  });

  it('answers not_found for a number the account does not have, and records codes it does not know', async () => {
    const relay = robot();
    expect(await relay.track(['RP0000000018'])).toEqual([{ trackingNumber: 'RP0000000018', kind: 'not_found', message: 'the relay portal finds no parcel RP0000000018 in the account' }]);
    const [unknown] = await relay.track([numberFor('unknown-code')]);
    expect(foundSnapshot(unknown, 'unknown-code')).toMatchObject({ status: 'unknown', unmappedCodes: [{ code: 'XFR', label: 'Handed to a partner network' }] });
  });

  it('asks for RELAY_PORTAL_TOTP_SECRET when the portal asks for a code and none is set', async () => {
    const error = await rejectionOf(robot({ RELAY_PORTAL_TOTP_SECRET: undefined }).track([numberFor('collected')]));
    expect(error.code).toBe('ROBOT_NOT_CONFIGURED');
    expect(error.message).toMatch(/RELAY_PORTAL_TOTP_SECRET/);
  });
});

describe('sessions', () => {
  it('log in once for many look-ups', async () => {
    const relay = robot();
    for (const scenario of ['collected', 'lost', 'in-transit', 'damaged', 'cancelled']) expect((await relay.track([numberFor(scenario)]))[0]!.kind).toBe('found');
    expect(portal.stats()).toMatchObject({ loginAttempts: 1, loginsSucceeded: 1, parcelSearches: 5 });
  });

  it('are shared through Redis by two processes: the second one does not log in', async () => {
    const [first, second] = [robot({}, sessions()), robot({}, sessions())];
    expect((await first.track([numberFor('collected')]))[0]!.kind).toBe('found');
    expect((await second.track([numberFor('lost')]))[0]!.kind).toBe('found');
    expect(portal.stats()).toMatchObject({ loginAttempts: 1, parcelSearches: 2 });
  });

  it('are logged in once by two processes starting together, however long the login outlasts the lock\'s time to live', async () => {
    // Each page 400 ms late: the five of a login take twice the 1 s lock, which its holder renews.
    portal.setFaults({ latencyMs: 400 });
    const [first, second] = [robot({}, sessions({ timeoutMs: 1000 })), robot({}, sessions({ timeoutMs: 1000 }))];
    const outcomes = await Promise.all([first.track([numberFor('collected')]), second.track([numberFor('lost')])]);
    expect(outcomes.map(([outcome]) => outcome!.kind)).toEqual(['found', 'found']);
    expect(portal.stats()).toMatchObject({ loginAttempts: 1, codesChecked: 1, loginsSucceeded: 1, loginsRefused: 0 });
  });

  it('get in when another installation spent the same authenticator code a moment before: the next period\'s code is taken', async () => {
    const [ours, theirs] = [robot({}, sessions()), robot({}, sessions({ installation: 'staging' }))];
    // The clock stands still: both compute the same code, and the portal takes a code once.
    const outcomes = await Promise.all([ours.track([numberFor('collected')]), theirs.track([numberFor('lost')])]);
    expect(outcomes.map(([outcome]) => outcome!.kind)).toEqual(['found', 'found']);
    expect(portal.stats()).toMatchObject({ loginAttempts: 2, codesChecked: 3, loginsRefused: 1, loginsSucceeded: 2 });
    // The refused code left no refusal behind: both go on with their sessions.
    expect((await theirs.track([numberFor('damaged')]))[0]!.kind).toBe('found');
    expect(portal.stats().loginAttempts).toBe(2);
  });

  it('never enters a code used before: a third login in one period waits for the next period instead of being refused', { timeout: 60_000 }, async () => {
    const relay = robot();
    // This period's code, then the next one's (taken early): the clock stands still.
    for (const logins of [1, 2]) {
      if (logins > 1) portal.configure({ expireSessionsAtRequest: 1 });
      expect((await relay.track([numberFor('collected')]))[0]!.kind).toBe('found');
    }
    portal.configure({ expireSessionsAtRequest: 1 });
    const third = relay.track([numberFor('collected')]);
    // Both codes it may enter now are used: it waits for the clock to reach a fresh period.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(portal.stats()).toMatchObject({ loginsSucceeded: 2, loginsRefused: 0 });
    clock.advance(30_000);
    expect((await third)[0]!.kind).toBe('found');
    expect(portal.stats()).toMatchObject({ codesChecked: 3, loginsSucceeded: 3, loginsRefused: 0 });
  });

  it('log in again once when the portal forgets the session mid-flow, then finish the look-up', async () => {
    const relay = robot();
    await relay.track([numberFor('collected')]);
    // The search page still loads; the search it then sends finds the session gone.
    portal.configure({ expireSessionsAtRequest: 2 });
    const [outcome] = await relay.track([numberFor('lost')]);
    expect(foundSnapshot(outcome, 'lost').status).toBe('lost');
    expect(portal.stats()).toMatchObject({ sessionsForgotten: 1, loginsSucceeded: 2 });
  });

  it('log in again once when the portal forgets the session as the authenticator code is sent', async () => {
    // The first logged-in request is the code's: the portal forgets the login and shows its sign-in form.
    portal.configure({ expireSessionsAtRequest: 1 });
    const [outcome] = await robot().track([numberFor('collected')]);
    expect(foundSnapshot(outcome, 'collected').status).toBe('delivered');
    expect(portal.stats()).toMatchObject({ sessionsForgotten: 1, loginAttempts: 2, loginsSucceeded: 2, loginsRefused: 0 });
  });

  it('log in again after the portal ended an idle session', async () => {
    const relay = robot();
    await relay.track([numberFor('collected')]);
    clock.advance(45 * 60_000);
    expect((await relay.track([numberFor('collected')]))[0]!.kind).toBe('found');
    expect(portal.stats()).toMatchObject({ sessionsMissing: 1, loginsSucceeded: 2 });
  });
});
