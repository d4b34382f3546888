import type { RobotRegistry } from '../../robot-kit/registry.ts';
import { detectCarriers, pickCarrier } from '../../robot-kit/carrier-detection.ts';
import { checkTrackingNumberShape, normalizeTrackingNumber } from '../../domain/tracking-number.ts';
import { EXIT, InputError } from '../cli-error.ts';

/** Lists the carriers a number can belong to, best first. Exit 2 when none can be asked. */
export function detectCommand(registry: RobotRegistry, rawNumber: string, options: { json?: boolean }): number {
  const trackingNumber = normalizeTrackingNumber(rawNumber);
  const problem = checkTrackingNumberShape(trackingNumber);
  if (problem) throw new InputError(`tracking number: ${problem}`);
  const candidates = detectCarriers(registry, trackingNumber);
  const pick = pickCarrier(candidates);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ trackingNumber, candidates, ...pick })}\n`);
  } else {
    for (const candidate of candidates) {
      process.stdout.write(`${candidate.carrier.padEnd(10)} ${candidate.format}  (check digit ${candidate.checkDigit})\n`);
    }
  }
  if ('problem' in pick) {
    process.stderr.write(`parcelbot: ${trackingNumber}: ${pick.problem}\n`);
    return EXIT.badInput;
  }
  return EXIT.ok;
}
