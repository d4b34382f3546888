import { html } from './html.ts';
import { hiddenCsrf, notice, page } from './layout.ts';

/** Sign-in for web users (PARCELBOT_WEB_USERS). `next` brings the user back where they were sent from. */
export function signInPage(options: { csrf: string; next: string; failed?: boolean; usersConfigured: boolean }): string {
  const body = html`
${options.failed ? notice('problem', 'Wrong name or password.') : null}
${options.usersConfigured ? null : notice('problem', 'No web users are configured: set PARCELBOT_WEB_USERS (see parcelbot hash-password).')}
<form method="post" action="/signin" class="signin">
  ${hiddenCsrf(options.csrf)}
  <input type="hidden" name="next" value="${options.next}">
  <label>Name <input name="name" autocomplete="username" required maxlength="64" autofocus></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>
  <button type="submit">Sign in</button>
</form>`;
  return page({ title: 'Sign in', body }).markup;
}
