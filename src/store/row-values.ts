/** Column values as the domain types hold them: timestamps as ISO strings, nulls as undefined. */
export const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : value == null ? undefined : String(value));
export const text = (value: unknown): string | undefined => (value == null ? undefined : String(value));
