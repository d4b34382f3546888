/** `{apiUrl}{path}`, keeping any path prefix of `apiUrl` (a simulator mounted at `/ups`), without its query. */
export function joinUrl(apiUrl: string, path: string): string {
  const url = new URL(apiUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  return url.href;
}
