import type { App } from '../../main.ts';
import { EXIT } from '../cli-error.ts';
import { carrierOption } from '../choose-carrier.ts';

/** Carrier codes no status map knows yet, most frequent first: each is a line to add to a status-map.ts. */
export async function codesCommand(app: App, options: { unmapped?: boolean; carrier?: string; json?: boolean }): Promise<number> {
  // Checked before the store opens: a misspelt carrier is bad input, not "no codes".
  const carrier = options.carrier === undefined ? undefined : carrierOption(app.registry, options.carrier);
  const codes = await (await app.store()).unmappedCodes.list(carrier);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(codes)}\n`);
    return EXIT.ok;
  }
  if (codes.length === 0) {
    process.stdout.write('no unmapped carrier codes\n');
    return EXIT.ok;
  }
  process.stdout.write('carrier    code        count  first seen        last seen         last label\n');
  for (const code of codes) {
    process.stdout.write(
      `${code.carrier.padEnd(10)} ${code.code.padEnd(11)} ${String(code.count).padStart(5)}  ${code.firstSeen.slice(0, 16)}  ${code.lastSeen.slice(0, 16)}  ${code.label}\n`,
    );
  }
  return EXIT.ok;
}
