import { plainTextProblem } from '../domain/plain-text.ts';
import type { FieldError } from './problem.ts';

/**
 * The first field of a request (query, path, then body) holding text parcelbot never keeps (a
 * control character, half a surrogate pair: see plainTextProblem), named as a client names it
 * (`query.q`, `shipments.3.order_ref`); or null. Checked for every route before its schema: a
 * field no schema thought of reaches no store.
 */
export function notPlainField(request: { query: unknown; params: unknown; body: unknown }): FieldError | null {
  return firstNotPlain(request.query, 'query') ?? firstNotPlain(request.params, 'path') ?? firstNotPlain(request.body, '');
}

function firstNotPlain(root: unknown, rootPath: string): FieldError | null {
  // A stack, not recursion: a body nested a million deep is valid JSON.
  const pending: { value: unknown; path: string }[] = [{ value: root, path: rootPath }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    const field = path || 'body';
    if (typeof value === 'string') {
      const problem = plainTextProblem(value);
      if (problem) return { field, message: problem };
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) {
        const problem = plainTextProblem(key);
        if (problem) return { field, message: `a field name ${problem}` };
      }
      for (const [key, item] of entries.reverse()) pending.push({ value: item, path: path ? `${path}.${key}` : key });
    }
  }
  return null;
}
