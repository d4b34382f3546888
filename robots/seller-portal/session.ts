import { createHash } from 'node:crypto';
import { type Page, type PortalAccount, type PortalSessions, RobotError } from '../../src/robot-kit/index.ts';
import { browserDriver } from './browser-driver.ts';
import type { DriverOptions, PortalDriver } from './driver.ts';
import { httpDriver } from './http-driver.ts';
import { logIn } from './portal.ts';
import { PERSONAL_CELLS } from './selectors.ts';

export interface SellerPortalSettings {
  SELLER_PORTAL_URL?: string;
  SELLER_PORTAL_LOGIN?: string;
  SELLER_PORTAL_PASSWORD?: string;
  SELLER_PORTAL_MODE: 'http' | 'browser';
  SELLER_PORTAL_TIMEOUT_MS: number;
}

/** Runs steps in the account's signed-in session, over HTTP or in a browser as configured. */
export type SessionRunner = <T>(steps: (driver: PortalDriver) => Promise<T>) => Promise<T>;

export function sellerPortalSession(portal: PortalSessions, settings: SellerPortalSettings): SessionRunner {
  // Async: a missing setting is a rejected call, like any other failure of the robot.
  return async (steps) => {
    const account = accountOf(settings);
    const options: DriverOptions = { timeoutMs: settings.SELLER_PORTAL_TIMEOUT_MS };
    const signIn = (driver: PortalDriver) => logIn(driver, account);
    if (settings.SELLER_PORTAL_MODE === 'browser') {
      const driverOf = (page: Page) => browserDriver(page, account.baseUrl, options);
      return portal.withPage(account, (page) => signIn(driverOf(page)), (page) => steps(driverOf(page)));
    }
    return portal.withHttp(account, (http) => signIn(httpDriver(http, options)), (http) => steps(httpDriver(http, options)));
  };
}

const MISSING: Record<'SELLER_PORTAL_URL' | 'SELLER_PORTAL_LOGIN' | 'SELLER_PORTAL_PASSWORD', string> = {
  SELLER_PORTAL_URL: "the seller back office's address (there is no default: each marketplace has its own)",
  SELLER_PORTAL_LOGIN: "the e-mail of the seller account the robot signs in with",
  SELLER_PORTAL_PASSWORD: "that account's password",
};

function accountOf(settings: SellerPortalSettings): PortalAccount {
  for (const [variable, what] of Object.entries(MISSING)) {
    if (settings[variable as keyof typeof MISSING] === undefined) throw new RobotError('ROBOT_NOT_CONFIGURED', `${variable} is not set: set it to ${what}`);
  }
  const baseUrl = settings.SELLER_PORTAL_URL!;
  const login = settings.SELLER_PORTAL_LOGIN!;
  // The key names the session in Redis and the logs: a hash, so the login appears in neither.
  const key = `seller-portal:${createHash('sha256').update(`${baseUrl}\u0000${login}`).digest('hex').slice(0, 16)}`;
  return { key, baseUrl, login, password: settings.SELLER_PORTAL_PASSWORD!, personalCells: PERSONAL_CELLS };
}
