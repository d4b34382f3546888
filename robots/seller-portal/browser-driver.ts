import { openPage, type Page, pageEvidence, RobotError, requireElement } from '../../src/robot-kit/index.ts';
import { cleaned, type DriverOptions, type PortalDriver, type PortalPage, parsed, withoutSecrets } from './driver.ts';
import { readForm } from './parse.ts';
import { SUBMIT } from './selectors.ts';

/** The portal in a browser page (SELLER_PORTAL_MODE=browser), for when plain HTTP is turned away. */
export function browserDriver(page: Page, baseUrl: string, options: DriverOptions): PortalDriver {
  page.setDefaultTimeout(options.timeoutMs);
  page.setDefaultNavigationTimeout(options.timeoutMs);
  const root = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const seen = async (step: string, status: number): Promise<PortalPage> => ({ step, url: page.url(), status, html: await page.content() });
  const evidenceOf = async (step: string, status?: number) => withoutSecrets({ ...(await pageEvidence(page, step)), status }, options.secrets);
  const helping = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw cleaned(error, options.secrets);
    }
  };

  const driver: PortalDriver = {
    async open(target, step) {
      const status = await helping(() => openPage(page, new URL(target, root).toString(), step));
      return seen(step, status);
    },
    async submit(from, form, fields, step) {
      // Checked on the HTML first: a missing form fails at once instead of after a locator's wait.
      await parsed(driver, from, (html) => readForm(html, form, Object.keys(fields)));
      const formElement = await helping(() => requireElement(page, form, step, options.timeoutMs));
      for (const [name, value] of Object.entries(fields)) await formElement.locator(`[name="${name}"]`).fill(value);
      let status: number;
      try {
        // The form answers with a redirect or a page: wait for whichever navigation the click starts
        // (waitForURL, which the docs prefer, needs to know the URL beforehand).
        const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), formElement.locator(SUBMIT).first().click()]);
        status = response?.status() ?? 0;
      } catch (error) {
        throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal did not answer the form (${(error as Error).message.split('\n')[0]})`, { evidence: await evidenceOf(step), cause: error });
      }
      if (status >= 500) throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal answered HTTP ${status}`, { evidence: await evidenceOf(step, status) });
      return seen(step, status);
    },
    evidence: (portalPage) => evidenceOf(portalPage.step, portalPage.status),
  };
  return driver;
}
