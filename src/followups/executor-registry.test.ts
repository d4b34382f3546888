import { describe, expect, it } from 'vitest';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import { ExecutorRegistry } from './executor-registry.ts';
import type { FollowUpExecutor } from './follow-up-executor.ts';

const executor = (kind: FollowUpExecutor['kind']): FollowUpExecutor => ({ kind, execute: async () => ({ summary: kind }) });

describe('ExecutorRegistry', () => {
  it('gives the executor of a kind', () => {
    const registry = new ExecutorRegistry([executor('refund'), executor('manager_case')]);
    expect(registry.get('refund').kind).toBe('refund');
    expect(registry.kinds()).toEqual(['refund', 'manager_case']);
  });

  it('fails a kind nobody carries out with FOLLOW_UP_INVALID, final', () => {
    const error = errorOf(() => new ExecutorRegistry([executor('refund')]).get('customer_email'));
    expect(error).toMatchObject({ code: 'FOLLOW_UP_INVALID', policy: 'final', message: 'no executor carries out customer_email follow-ups in this installation (known: refund)' });
  });

  it('refuses two executors for one kind', () => {
    expect(() => new ExecutorRegistry([executor('refund'), executor('refund')])).toThrow(/two executors for follow-ups of kind refund/);
  });
});
