import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './roles.ts';

export interface ApiKey {
  role: Role;
  key: string;
}

/** Who an API key is in logs and audit trails: never the key, a short fingerprint of it. */
export function keyFingerprint(key: string): string {
  return `key:${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The configured keys, compared in constant time: every key is compared (no early exit) over
 * fixed-length digests, so neither the timing nor the length of a guess tells anything.
 */
export class ApiKeyRing {
  private readonly digests: { role: Role; digest: Buffer; fingerprint: string }[];

  constructor(keys: readonly ApiKey[]) {
    this.digests = keys.map(({ role, key }) => ({ role, digest: digest(key), fingerprint: keyFingerprint(key) }));
  }

  match(presented: string): { role: Role; fingerprint: string } | undefined {
    const candidate = digest(presented);
    let found: { role: Role; fingerprint: string } | undefined;
    for (const entry of this.digests) {
      if (timingSafeEqual(entry.digest, candidate)) found = { role: entry.role, fingerprint: entry.fingerprint };
    }
    return found;
  }
}
