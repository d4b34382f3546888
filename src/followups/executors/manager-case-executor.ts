import type { FollowUpExecutor } from '../follow-up-executor.ts';
import { stableJson } from '../follow-up-id.ts';

/**
 * A case for a manager: an exception in the manager queue with the rule's reason and
 * parameters, opened once per follow-up (the queue's row is keyed by the follow-up's id).
 */
export const managerCaseExecutor: FollowUpExecutor = {
  kind: 'manager_case',
  async execute(followUp, { shipment, store, clock }) {
    await store.exceptions.open({
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      code: 'MANAGER_CASE',
      message: followUp.reason,
      evidence: { step: `rule ${followUp.ruleId}`, body: stableJson(followUp.params) },
      jobId: followUp.id,
      followUpId: followUp.id,
      openedAt: clock.now(),
    });
    return { summary: `case opened for a manager: ${followUp.reason}`, references: { exception: followUp.id } };
  },
};
