/**
 * The faults of a chaos run, switched over the fixture server's control routes
 * (`POST /_control/<id>/faults`, fixtures/sim-kit/faults.ts): every carrier API answers 5 % of
 * calls with a 5xx, holds 2 % until the robot times out and spoils 1 % of bodies; the OMS and
 * Colissimo fail the same way; the relay portal serves error pages and slow pages, and for a
 * while its redesigned layout; bursts of 429 with Retry-After come and go; the SMTP server
 * refuses a few messages for now (451).
 */

/** How long a `timeout` fault holds a request: past every robot's timeout of the run (CHAOS_TIMEOUTS). */
const HOLD_MS = 4000;

/** The robots' timeouts in the run, below HOLD_MS, so a held call costs seconds, not minutes. */
export const CHAOS_TIMEOUTS: Record<string, string> = {
  LAPOSTE_TIMEOUT_MS: '2500',
  DHL_TIMEOUT_MS: '2500',
  UPS_TIMEOUT_MS: '2500',
  FEDEX_TIMEOUT_MS: '2500',
  OMS_TIMEOUT_MS: '2500',
  COLISSIMO_TIMEOUT_MS: '2500',
  RELAY_PORTAL_TIMEOUT_MS: '3000',
  PORTAL_TIMEOUT_MS: '3000',
};

const API_MIX = [
  { fault: 'http-503', probability: 0.03 },
  { fault: 'http-500', probability: 0.02 },
  { fault: 'timeout', probability: 0.02 },
  { fault: 'invalid-json', probability: 0.01 },
];

/** Each simulator's faults while the run is on. */
const FAULTS: Record<string, unknown> = {
  laposte: { mix: API_MIX, holdMs: HOLD_MS },
  dhl: { mix: API_MIX, holdMs: HOLD_MS },
  ups: { mix: API_MIX, holdMs: HOLD_MS },
  fedex: { mix: API_MIX, holdMs: HOLD_MS },
  oms: { mix: API_MIX, holdMs: HOLD_MS },
  colissimo: { mix: API_MIX, holdMs: HOLD_MS },
  'relay-portal': { mix: [{ fault: 'http-500', probability: 0.05 }, { fault: 'timeout', probability: 0.02 }], holdMs: HOLD_MS },
};

/** Carriers whose APIs answer bursts of 429 (the portal and Colissimo have no such answer). */
const BURSTING = ['laposte', 'dhl', 'ups', 'fedex', 'oms'] as const;

export class FaultSwitch {
  /** What was switched, for the run's report. */
  readonly counts = { bursts: 0, layoutChanges: 0, smtpRefusals: 0 };

  constructor(private readonly fixturesUrl: string) {}

  async on(): Promise<void> {
    await Promise.all(Object.entries(FAULTS).map(([id, settings]) => this.#post(`${id}/faults`, settings)));
  }

  async off(): Promise<void> {
    await Promise.all(Object.keys(FAULTS).map((id) => this.#post(`${id}/faults`, {})));
  }

  /** The next `calls` calls of one API get 429 with Retry-After; its usual faults come back after `ms`. */
  async burst(index: number, calls = 12, ms = 3000): Promise<void> {
    const id = BURSTING[index % BURSTING.length]!;
    this.counts.bursts += 1;
    await this.#post(`${id}/faults`, { fault: 'rate-limited', times: calls, retryAfterSeconds: 1 });
    await sleep(ms);
    await this.#post(`${id}/faults`, FAULTS[id]);
  }

  /** The relay portal's redesign, on every page, for `ms`. */
  async portalLayoutChange(ms: number): Promise<void> {
    this.counts.layoutChanges += 1;
    await this.#post('relay-portal/faults', { fault: 'changed-layout' });
    await sleep(ms);
    await this.#post('relay-portal/faults', FAULTS['relay-portal']);
  }

  /** The SMTP server refuses the next `times` messages for now (451): they must be sent later, once. */
  async smtpRefusals(times = 3): Promise<void> {
    this.counts.smtpRefusals += times;
    await this.#post('smtp/refusals', { code: 451, message: 'Greylisted, try again later', times });
  }

  async #post(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.fixturesUrl}/_control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`the fixture server refused ${path}: ${response.status} ${await response.text()}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
