import { ConfigError, type CoreConfig } from '../../config.ts';
import type { PostalAddress } from '../../domain/postal-address.ts';

const PARTS = ['MERCHANT_RETURN_NAME', 'MERCHANT_RETURN_LINE1', 'MERCHANT_RETURN_POSTCODE', 'MERCHANT_RETURN_CITY'] as const;

/**
 * The merchant's return address from MERCHANT_RETURN_*: undefined when none is set (labels that
 * need one then fail with ROBOT_NOT_CONFIGURED); a ConfigError at start when only some are.
 */
export function merchantReturnAddressOf(core: Pick<CoreConfig, (typeof PARTS)[number] | 'MERCHANT_RETURN_LINE2' | 'MERCHANT_RETURN_COUNTRY' | 'MERCHANT_RETURN_PHONE'>): PostalAddress | undefined {
  const set = PARTS.filter((name) => core[name] !== undefined);
  if (set.length === 0) return undefined;
  const missing = PARTS.find((name) => core[name] === undefined);
  if (missing) throw new ConfigError(`${missing}: required with ${set[0]} (the return address needs ${PARTS.join(', ')})`);
  return {
    name: core.MERCHANT_RETURN_NAME!,
    line1: core.MERCHANT_RETURN_LINE1!,
    ...(core.MERCHANT_RETURN_LINE2 ? { line2: core.MERCHANT_RETURN_LINE2 } : {}),
    postcode: core.MERCHANT_RETURN_POSTCODE!,
    city: core.MERCHANT_RETURN_CITY!,
    country: core.MERCHANT_RETURN_COUNTRY,
    ...(core.MERCHANT_RETURN_PHONE ? { phone: core.MERCHANT_RETURN_PHONE } : {}),
  };
}
