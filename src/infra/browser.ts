import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { Logger } from 'pino';

/**
 * Chromium flags for a server: no sandbox as root in a container, no GPU, and none of the
 * background calls home a closed network would refuse by the dozen.
 */
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Form pages make Chromium ask Google how to fill them in: the portal's own host is the only one a page reaches.
  '--disable-features=AutofillServerCommunication',
];
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Playwright is loaded on first use: most processes (a CLI command, an API worker with no portal
 * robot at work) never start a browser and need not pay for loading it.
 */
const playwright = () => import('playwright-core');

/** PARCELBOT_CHROMIUM, else Playwright's own download when installed, else Debian's chromium. */
export async function findChromium(configured: string | undefined): Promise<string> {
  if (configured) {
    if (!existsSync(configured)) throw new Error(`PARCELBOT_CHROMIUM: no browser at ${configured}`);
    return configured;
  }
  const bundled = (await playwright()).chromium.executablePath();
  if (bundled && existsSync(bundled)) return bundled;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  throw new Error('no Chromium found: install it (Debian/Ubuntu: apt-get install chromium) or set PARCELBOT_CHROMIUM to its path');
}

/**
 * One headless browser per process, started on first use, started again if it crashes, closed
 * on shutdown. Portal robots share it through contexts (one per logged-in account).
 */
export class BrowserProvider {
  private launching: Promise<Browser> | undefined;
  /** Browsers closed on purpose: their disconnection is no crash to report. */
  private readonly closing = new WeakSet<Browser>();

  constructor(
    private readonly executablePath: () => Promise<string>,
    private readonly logger: Logger,
  ) {}

  browser(): Promise<Browser> {
    this.launching ??= this.launch();
    return this.launching;
  }

  private async launch(): Promise<Browser> {
    try {
      const { chromium } = await playwright();
      const browser = await chromium.launch({ executablePath: await this.executablePath(), headless: true, args: LAUNCH_ARGS });
      browser.on('disconnected', () => {
        if (this.closing.has(browser)) return;
        this.logger.warn('browser disconnected: the next portal step starts a new one');
        this.launching = undefined;
      });
      return browser;
    } catch (error) {
      this.launching = undefined;
      throw error;
    }
  }

  /** Whether a browser was started (benchmarks and health report it). */
  get started(): boolean {
    return this.launching !== undefined;
  }

  async close(): Promise<void> {
    const launching = this.launching;
    this.launching = undefined;
    const browser = await launching?.catch(() => undefined);
    if (!browser) return;
    this.closing.add(browser);
    await browser.close().catch(() => {});
  }
}
