import type { Locator, Page } from 'playwright-core';
import { type Evidence, RobotError } from './robot-error.ts';

/** A password typed back into a served page must never reach evidence. */
export function blankPasswords(html: string): string {
  return html.replace(/(<input\b[^>]*\btype=["']?password["']?[^>]*\bvalue=)(["'])[^"']*\2/gi, '$1$2$2');
}

/** What a manager needs to see a portal step fail: where, the page as it was, and a screenshot. */
export async function pageEvidence(page: Page, step: string): Promise<Evidence> {
  const [html, screenshot] = await Promise.all([
    page.content().catch(() => ''),
    page.screenshot({ type: 'png', fullPage: true }).catch(() => undefined),
  ]);
  return { step, request: { method: 'GET', url: page.url().split('?')[0] ?? '' }, html: blankPasswords(html), screenshot: screenshot?.toString('base64') };
}

/** The same evidence from a page read over plain HTTP (no screenshot: no browser drew it). */
export function htmlEvidence(url: string, status: number, html: string, step: string): Evidence {
  return { step, request: { method: 'GET', url: url.split('?')[0] ?? url }, status, html: blankPasswords(html) };
}

/**
 * Opens `url` as step `step`. A page that does not load in time or answers a server error is a
 * passing fault (PORTAL_PAGE_ERROR, retried); the answer's status is returned for the robot.
 */
export async function openPage(page: Page, url: string, step: string): Promise<number> {
  let status: number;
  try {
    status = (await page.goto(url, { waitUntil: 'domcontentloaded' }))?.status() ?? 0;
  } catch (error) {
    throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal page did not load (${(error as Error).message.split('\n')[0]})`, { evidence: { step, request: { method: 'GET', url: url.split('?')[0] ?? url } }, cause: error });
  }
  if (status >= 500) throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal answered HTTP ${status}`, { evidence: { ...(await pageEvidence(page, step)), status } });
  return status;
}

/**
 * The element a step cannot do without. Missing once the page has loaded means the portal's
 * layout changed: final, with a screenshot and the page HTML, never a silent empty answer.
 */
export async function requireElement(page: Page, selector: string, step: string, timeoutMs = 5000): Promise<Locator> {
  const element = page.locator(selector).first();
  try {
    await element.waitFor({ state: 'attached', timeout: timeoutMs });
    return element;
  } catch (error) {
    throw new RobotError('PORTAL_LAYOUT_CHANGED', `${step}: no element matches ${selector}: the portal's layout changed`, { evidence: await pageEvidence(page, step), cause: error });
  }
}
