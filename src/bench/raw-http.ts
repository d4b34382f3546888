import { Pool } from 'undici';
import { inParallel, perSecond } from './stats.ts';

export interface RawHttpFigures {
  requests: number;
  concurrency: number;
  requestsPerSecond: number;
}

/**
 * The carrier simulator's ceiling on this machine: `requests` La Poste look-ups of one number
 * each, `concurrency` in flight on keep-alive connections, nothing parsed or stored.
 */
export async function measureRawHttp(simulatorUrl: string, apiKey: string, trackingNumbers: readonly string[], requests = 20_000, concurrency = 16): Promise<RawHttpFigures> {
  const { origin, pathname } = new URL(simulatorUrl);
  const pool = new Pool(origin, { connections: concurrency });
  const indexes = Array.from({ length: requests }, (_, index) => index);
  const start = performance.now();
  await inParallel(indexes, concurrency, async (index) => {
    const number = trackingNumbers[index % trackingNumbers.length];
    const response = await pool.request({ method: 'GET', path: `${pathname}/suivi/v2/idships/${number}?lang=fr_FR`, headers: { 'x-okapi-key': apiKey } });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`the La Poste simulator answered ${response.statusCode} for ${number}`);
  });
  const elapsed = performance.now() - start;
  await pool.close();
  return { requests, concurrency, requestsPerSecond: perSecond(requests, elapsed) };
}
