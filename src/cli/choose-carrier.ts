import { chooseCarrier as choose } from '../robot-kit/choose-carrier.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import { InputError } from './cli-error.ts';

/** The carrier to ask for `parcelbot track`: --carrier, else detection; bad input in the CLI's words. */
export function chooseCarrier(registry: RobotRegistry, trackingNumber: string, named?: string): string {
  const choice = choose(registry, trackingNumber, named);
  if ('carrier' in choice) return choice.carrier;
  if (choice.field === 'carrier') throw new InputError(`--carrier: ${choice.message}`);
  const hint = choice.undetected ? `; name the carrier with --carrier (${registry.trackers().map((t) => t.id).join(', ')})` : '';
  throw new InputError(`tracking number: ${choice.message}${hint}`);
}
