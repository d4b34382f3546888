import { userInfo } from 'node:os';
import { FOLLOW_UP_STATES, type FollowUpState } from '../../domain/follow-up.ts';
import { formatLocalDateTime } from '../../domain/local-time.ts';
import { FollowUpStateError, UnknownFollowUpError } from '../../followups/follow-up-errors.ts';
import type { App } from '../../main.ts';
import type { ListedFollowUp, StoredFollowUp } from '../../store/follow-up-repository.ts';
import { EXIT, InputError } from '../cli-error.ts';

/** Follow-ups, due first, as a table or JSON: what the robots do or wait to do, and what managers must approve. */
export async function followupsCommand(app: App, options: { state?: string; json?: boolean }): Promise<number> {
  const state = options.state === undefined ? undefined : stateOf(options.state);
  const followUps = await app.followUps.list({ state });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(followUps)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(followUps.length === 0 ? `no follow-ups${state ? ` ${state.replace(/_/g, ' ')}` : ''}\n` : table(followUps));
  return EXIT.ok;
}

/** A manager's approval from a terminal: the follow-up is queued for when it is due. */
export async function followupsApproveCommand(app: App, id: string): Promise<number> {
  const approved = await decided(() => app.followUps.approve(id, cliUser()));
  process.stdout.write(`approved ${approved.id}: ${approved.kind.replace(/_/g, ' ')} queued for ${formatLocalDateTime(approved.dueAt)}\n`);
  return EXIT.ok;
}

/** A manager's refusal from a terminal: the follow-up is cancelled and never runs. */
export async function followupsRejectCommand(app: App, id: string, options: { reason?: string }): Promise<number> {
  const rejected = await decided(() => app.followUps.reject(id, cliUser(), options.reason));
  process.stdout.write(`rejected ${rejected.id}: cancelled\n`);
  return EXIT.ok;
}

/** `cli:<os user>`: who approved, for the audit trail. */
function cliUser(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // A container user without a passwd entry.
  }
  return `cli:${name || process.env.USER || 'unknown'}`;
}

/** An unknown id or a follow-up past approval is the person's mistake: exit 2 with the reason. */
async function decided(decide: () => Promise<StoredFollowUp>): Promise<StoredFollowUp> {
  try {
    return await decide();
  } catch (error) {
    if (error instanceof UnknownFollowUpError || error instanceof FollowUpStateError) throw new InputError(error.message);
    throw error;
  }
}

function stateOf(value: string): FollowUpState {
  const state = FOLLOW_UP_STATES.find((known) => known === value.trim().toLowerCase());
  if (!state) throw new InputError(`--state: expected one of ${FOLLOW_UP_STATES.join(', ')}`);
  return state;
}

function table(followUps: readonly ListedFollowUp[]): string {
  const rows = followUps.map((followUp) => [
    followUp.id,
    followUp.trackingNumber,
    followUp.kind,
    followUp.state,
    formatLocalDateTime(followUp.dueAt),
    followUp.ruleId,
    followUp.valueAtStake === undefined ? '-' : `${followUp.valueAtStake.toFixed(2)}${followUp.currency ? ` ${followUp.currency}` : ''}`,
  ]);
  const header = ['id', 'shipment', 'kind', 'state', 'due (Paris)', 'rule', 'value'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => `${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}\n`;
  return [header, ...rows].map(line).join('');
}
