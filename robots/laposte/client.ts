import { type HttpClient, type HttpRequest, throwForCommonStatus } from '../../src/robot-kit/index.ts';

export interface LaPosteSettings {
  /** Base URL: `https://api.laposte.fr`, or a simulator's, possibly with a path prefix. */
  apiUrl: string;
  apiKey: string;
  lang: string;
  timeoutMs: number;
}

/**
 * One Suivi v2 call for up to 10 numbers. I/O only: shared errors (auth, rate limit, timeouts,
 * 5xx) are thrown here; the status and body of every other answer go to `parseIdshipsResponse`.
 */
export async function fetchIdships(
  http: HttpClient,
  settings: LaPosteSettings,
  numbers: readonly string[],
  nowMs: number,
): Promise<{ status: number; text: string }> {
  const request: HttpRequest = {
    method: 'GET',
    url: idshipsUrl(settings.apiUrl, numbers, settings.lang),
    headers: { 'X-Okapi-Key': settings.apiKey, Accept: 'application/json' },
    timeoutMs: settings.timeoutMs,
  };
  const response = await http.request(request);
  throwForCommonStatus('La Poste', request, response, nowMs);
  return { status: response.status, text: response.text };
}

/** `{apiUrl}/suivi/v2/idships/{id,id,...}?lang=...`, keeping any path prefix of `apiUrl`. */
function idshipsUrl(apiUrl: string, numbers: readonly string[], lang: string): string {
  const url = new URL(apiUrl);
  const ids = numbers.map(encodeURIComponent).join(',');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/suivi/v2/idships/${ids}`;
  url.search = new URLSearchParams({ lang }).toString();
  return url.href;
}
