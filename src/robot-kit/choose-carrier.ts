import { detectCarriers, pickCarrier } from './carrier-detection.ts';
import type { RobotRegistry } from './registry.ts';

/** Why a carrier or number cannot be tracked; each caller names the field its own way (CLI option, API field, import column). */
export interface CarrierProblem {
  field: 'carrier' | 'trackingNumber';
  message: string;
  /** Set when no carrier was named and detection found none: the caller says how to name one. */
  undetected?: true;
}

/** Why no tracking robot goes by `carrier` (matched without regard to case), or null. */
export function checkCarrierName(registry: RobotRegistry, carrier: string): CarrierProblem | null {
  if (registry.tracker(carrier.toLowerCase())) return null;
  const what = registry.find(carrier.toLowerCase()) ? `${carrier.toLowerCase()} tracks no parcels` : `unknown carrier "${carrier.slice(0, 40)}"`;
  return { field: 'carrier', message: `${what}: expected one of ${registry.trackers().map((t) => t.id).join(', ')}` };
}

/** Why `carrier` cannot track `trackingNumber` (an unknown carrier, a number of the wrong format), or null. */
export function checkNamedCarrier(registry: RobotRegistry, carrier: string, trackingNumber: string): CarrierProblem | null {
  const robot = registry.tracker(carrier.toLowerCase());
  if (!robot) return checkCarrierName(registry, carrier);
  const problem = robot.checkTrackingNumber(trackingNumber);
  return problem ? { field: 'trackingNumber', message: problem } : null;
}

/**
 * The carrier to ask: the one named, else the best of the carriers whose number formats it fits
 * (carrier detection: a valid check digit first). A loose length check is no detection: "11 to
 * 15 letters or digits" fits La Poste, DHL and UPS alike.
 */
export function chooseCarrier(registry: RobotRegistry, trackingNumber: string, named?: string): { carrier: string } | CarrierProblem {
  if (named) return checkNamedCarrier(registry, named, trackingNumber) ?? { carrier: named.toLowerCase() };
  const pick = pickCarrier(detectCarriers(registry, trackingNumber));
  return 'problem' in pick ? { field: 'trackingNumber', message: pick.problem, undetected: true } : pick;
}
