/**
 * The URL for messages and logs: all between the scheme and the LAST @ is hidden. A password may
 * hold @, / or :, which end the user info early for a parser (`new URL` reads
 * redis://u:1/2@host as host u, port 1 and the path /2@host), so the last @ is what to trust.
 */
export function redactUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  return `${scheme}***${url.slice(at)}`;
}
