import { type CarrierProblem, checkCarrierName, chooseCarrier as choose } from '../robot-kit/choose-carrier.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import { InputError } from './cli-error.ts';

/** The carrier to ask for `parcelbot track`: --carrier, else detection; bad input in the CLI's words. */
export function chooseCarrier(registry: RobotRegistry, trackingNumber: string, named?: string): string {
  const choice = choose(registry, trackingNumber, named);
  if ('carrier' in choice) return choice.carrier;
  if (choice.field === 'carrier') throw carrierOptionError(choice);
  const hint = choice.undetected ? `; name the carrier with --carrier (${registry.trackers().map((t) => t.id).join(', ')})` : '';
  throw new InputError(`tracking number: ${choice.message}${hint}`);
}

/** The tracking robot `--carrier` names, lower-cased as robot ids are; bad input otherwise. */
export function carrierOption(registry: RobotRegistry, named: string): string {
  const problem = checkCarrierName(registry, named);
  if (problem) throw carrierOptionError(problem);
  return named.toLowerCase();
}

function carrierOptionError(problem: CarrierProblem): InputError {
  return new InputError(`--carrier: ${problem.message}`);
}
