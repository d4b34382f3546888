import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './error-codes.ts';

const readme = readFileSync(new URL('../../robots/README.md', import.meta.url), 'utf8');
const documented = new Map([...readme.matchAll(/^\| `([A-Z_]+)` \| ([a-z_]+) \|/gm)].map((match) => [match[1], match[2]]));

describe('error codes', () => {
  it('are each documented in robots/README.md with their policy', () => {
    for (const [code, { policy }] of Object.entries(ERROR_CODES)) expect(documented.get(code), code).toBe(policy);
  });

  it('are all in the registry when documented', () => {
    for (const code of documented.keys()) expect(Object.keys(ERROR_CODES), `${code} is documented but not registered`).toContain(code);
  });
});
