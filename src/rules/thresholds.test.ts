import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../fixtures/rules/testing.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { thresholdsFromConfig } from './thresholds.ts';

const robots = (await RobotRegistry.load()).all();

describe('named thresholds from the environment', () => {
  it('default to AUTO_REFUND_MAX 30 EUR, CONTACTS_TARGET 2, RESOLUTION_TARGET_DAYS 5', () => {
    expect(thresholdsFromConfig(loadConfig({}, robots).core)).toEqual(DEFAULT_THRESHOLDS);
  });

  it('read amounts with cents', () => {
    expect(thresholdsFromConfig(loadConfig({ AUTO_REFUND_MAX: '49.90', CONTACTS_TARGET: '3', RESOLUTION_TARGET_DAYS: '10' }, robots).core)).toEqual({
      AUTO_REFUND_MAX: 49.9,
      CONTACTS_TARGET: 3,
      RESOLUTION_TARGET_DAYS: 10,
    });
  });

  it.each([
    [{ AUTO_REFUND_MAX: 'thirty' }, 'AUTO_REFUND_MAX: expected an amount in EUR such as 30 or 49.90'],
    [{ AUTO_REFUND_MAX: '-1' }, 'AUTO_REFUND_MAX: expected an amount in EUR from 0 to 100000'],
    [{ CONTACTS_TARGET: '2.5' }, 'CONTACTS_TARGET: expected a whole number from 0 to 100 (customer contacts)'],
    [{ RESOLUTION_TARGET_DAYS: '0' }, 'RESOLUTION_TARGET_DAYS: expected a whole number from 1 to 60 (business days)'],
  ])('stop on %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env, robots)).toThrow(new ConfigError(message));
  });
});
