import type { RobotRegistry } from '../robot-kit/registry.ts';
import { InputError } from './cli-error.ts';

/**
 * The carrier to ask: the one named with --carrier, else the first robot whose number format
 * fits. A named carrier that refuses the format is bad input, said with the robot's reason.
 */
export function chooseCarrier(registry: RobotRegistry, trackingNumber: string, named?: string): string {
  const trackers = registry.trackers();
  if (named) {
    const robot = registry.find(named.toLowerCase());
    if (!robot?.capabilities.track) throw new InputError(`--carrier: unknown carrier "${named.slice(0, 40)}": expected one of ${trackers.map((t) => t.id).join(', ')}`);
    const problem = robot.checkTrackingNumber(trackingNumber);
    if (problem) throw new InputError(`tracking number: ${problem}`);
    return robot.id;
  }
  const fitting = trackers.find((robot) => robot.checkTrackingNumber(trackingNumber) === null);
  if (!fitting) {
    const reasons = trackers.map((robot) => robot.checkTrackingNumber(trackingNumber)).join('; ');
    throw new InputError(`tracking number: matches no carrier's format (${reasons}); name one with --carrier`);
  }
  return fitting.id;
}
