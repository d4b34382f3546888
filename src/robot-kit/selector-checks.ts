import { load } from 'cheerio';
import type { SelectorCheck } from './define-robot.ts';

/**
 * Each of a reached page's selectors, found or missing in its HTML (as parse.ts reads it, from
 * plain HTTP or from a browser's `page.content()`).
 */
export function checkSelectors(page: string, selectors: Record<string, string>, html: string): SelectorCheck[] {
  const $ = load(html);
  return Object.entries(selectors).map(([name, selector]) => ({ page, name, selector, state: $(selector).length > 0 ? 'found' : 'missing' }));
}

/** Each of the selectors of a page that could not be opened, with why. */
export function pageNotReached(page: string, selectors: Record<string, string>, reason: string): SelectorCheck[] {
  return Object.entries(selectors).map(([name, selector]) => ({ page, name, selector, state: 'page-not-reached', reason }));
}
