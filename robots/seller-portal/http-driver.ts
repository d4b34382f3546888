import { type CookieHttp, type CookieHttpResponse, htmlEvidence, namedAfterStep, type PortalPage, RobotError } from '../../src/robot-kit/index.ts';
import { type DriverOptions, type PortalDriver, parsed } from './driver.ts';
import { readForm } from './parse.ts';

/** Socket failures the HTTP client classifies; on a portal they are a page that did not load. */
const NOT_LOADED = new Set(['CARRIER_TIMEOUT', 'CARRIER_NETWORK_ERROR']);

/** The portal over plain HTTP with the session's cookie jar: ~5 ms a page where a browser takes ~250. */
export function httpDriver(http: CookieHttp, options: DriverOptions): PortalDriver {
  async function answered(step: string, method: 'GET' | 'POST', url: string, send: () => Promise<CookieHttpResponse>): Promise<PortalPage> {
    let response: CookieHttpResponse;
    try {
      response = await withinTimeout(send(), options.timeoutMs);
    } catch (error) {
      if (error instanceof TimeoutError || (error instanceof RobotError && NOT_LOADED.has(error.code))) {
        throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal page did not load (${(error as Error).message})`, { evidence: { step, request: { method, url: url.split('?')[0] ?? url } }, cause: error });
      }
      // The cookie jar's guard refusing a redirect or a link to another host (HOST_NOT_ALLOWED): named after the step.
      throw error instanceof RobotError ? namedAfterStep(error, step) : error;
    }
    const page = { step, method: response.method, url: response.url, status: response.status, html: response.text };
    if (page.status >= 500) throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal answered HTTP ${page.status}`, { evidence: htmlEvidence(page) });
    return page;
  }

  const driver: PortalDriver = {
    open: (target, step) => answered(step, 'GET', http.url(target), () => http.get(target)),
    async submit(from, form, fields, step) {
      const found = await parsed(driver, from, (html) => readForm(html, form, Object.keys(fields)));
      const action = new URL(found.action || from.url, from.url).toString();
      return answered(step, 'POST', action, () => http.postForm(action, { ...found.fields, ...fields }));
    },
    evidence: async (page) => htmlEvidence(page),
  };
  return driver;
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * SELLER_PORTAL_TIMEOUT_MS over HTTP: CookieHttp takes no timeout of its own (the runtime's
 * PORTAL_TIMEOUT_MS bounds each request), so the step stops waiting and the request ends on its own.
 */
function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  work.catch(() => {});
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
