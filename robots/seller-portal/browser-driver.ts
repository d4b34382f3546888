import { fillField, openPage, type Page, pageEvidence, playwrightReason, readPage, RobotError, runStep, submitForm } from '../../src/robot-kit/index.ts';
import { type DriverOptions, type PortalDriver, parsed } from './driver.ts';
import { readForm } from './parse.ts';
import { SUBMIT } from './selectors.ts';

/** The portal in a browser page (SELLER_PORTAL_MODE=browser), for when plain HTTP is turned away. */
export function browserDriver(page: Page, baseUrl: string, options: DriverOptions): PortalDriver {
  page.setDefaultTimeout(options.timeoutMs);
  page.setDefaultNavigationTimeout(options.timeoutMs);
  const root = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const evidenceOf = async (step: string, method?: string, status?: number) => ({ ...(await pageEvidence(page, step, method)), status });

  const driver: PortalDriver = {
    async open(target, step) {
      const status = await openPage(page, new URL(target, root).toString(), step);
      return readPage(page, step, { method: 'GET', status });
    },
    async submit(from, form, fields, step) {
      // Checked on the HTML first: a missing form fails at once instead of after a locator's wait.
      await parsed(driver, from, (html) => readForm(html, form, Object.keys(fields)));
      // Through runStep: a field that cannot be filled is classified, its value (a password) in no message.
      await runStep(page, step, async () => {
        for (const [name, value] of Object.entries(fields)) await fillField(page, `${form} [name="${name}"]`, value, step);
      });
      let answer: { method: string; status: number };
      try {
        // The kit's: a 5xx answer is PORTAL_PAGE_ERROR, a redirect to another host HOST_NOT_ALLOWED.
        answer = await submitForm(page, `${form} ${SUBMIT}`, step);
      } catch (error) {
        if (error instanceof RobotError) throw error;
        throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal did not answer the form (${playwrightReason(error)})`, { evidence: await evidenceOf(step, 'POST') });
      }
      return readPage(page, step, answer);
    },
    evidence: (portalPage) => evidenceOf(portalPage.step, portalPage.method, portalPage.status),
  };
  return driver;
}
