/** The body without token values (OAuth and LWA answers), so evidence never holds a usable token. */
export function withoutTokens(body: string): string {
  return body.replace(/("(?:access_token|refresh_token)"\s*:\s*)"[^"]*"/g, '$1"[redacted]"');
}
