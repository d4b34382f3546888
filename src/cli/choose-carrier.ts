import { detectCarriers, pickCarrier } from '../robot-kit/carrier-detection.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import { InputError } from './cli-error.ts';

/**
 * The carrier to ask: the one named with --carrier, else the best of the carriers whose number
 * formats it fits (carrier detection: a valid check digit first). A loose length check is no
 * detection: "11 to 15 letters or digits" fits La Poste, DHL and UPS alike. A named carrier
 * that refuses the format is bad input, said with the robot's reason.
 */
export function chooseCarrier(registry: RobotRegistry, trackingNumber: string, named?: string): string {
  const trackers = registry.trackers();
  if (named) {
    const robot = registry.tracker(named.toLowerCase());
    if (!robot) {
      const what = registry.find(named.toLowerCase()) ? `${named.toLowerCase()} tracks no parcels` : `unknown carrier "${named.slice(0, 40)}"`;
      throw new InputError(`--carrier: ${what}: expected one of ${trackers.map((t) => t.id).join(', ')}`);
    }
    const problem = robot.checkTrackingNumber(trackingNumber);
    if (problem) throw new InputError(`tracking number: ${problem}`);
    return robot.id;
  }
  const pick = pickCarrier(detectCarriers(registry, trackingNumber));
  if ('problem' in pick) throw new InputError(`tracking number: ${pick.problem}; name the carrier with --carrier (${trackers.map((t) => t.id).join(', ')})`);
  return pick.carrier;
}
