import { formatLocalDateTime } from '../../domain/local-time.ts';
import type { Actor } from '../access.ts';
import { type Role, roleAllows } from '../roles.ts';
import { type HtmlValue, type SafeHtml, html } from './html.ts';

export interface PageOptions {
  title: string;
  actor?: Actor;
  /** The CSRF token for the page's forms (sign-out included). */
  csrf?: string;
  body: HtmlValue;
}

const NAV: { href: string; label: string; role: Role }[] = [
  { href: '/agent', label: 'Find a parcel', role: 'agent' },
  { href: '/manager/queue', label: 'Exception queue', role: 'manager' },
  { href: '/dashboard', label: 'Dashboard', role: 'manager' },
  { href: '/admin/queues', label: 'Queue console', role: 'admin' },
];

/** Every page: no inline script or style (the CSP forbids them), one stylesheet, one small script. */
export function page({ title, actor, csrf, body }: PageOptions): SafeHtml {
  const links = actor ? NAV.filter((item) => roleAllows(actor.role, item.role)).map((item) => html`<a href="${item.href}">${item.label}</a>`) : [];
  const signOut = actor && csrf ? html`<form method="post" action="/signout" class="signout"><input type="hidden" name="_csrf" value="${csrf}"><span>${actor.name} (${actor.role})</span> <button type="submit">Sign out</button></form>` : null;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · parcelbot</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header><strong class="brand">parcelbot</strong><nav>${links}</nav>${signOut}</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export const hiddenCsrf = (csrf: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** Paris time, as operations read it. */
export function when(value: string | undefined): string {
  return value ? formatLocalDateTime(value) : '—';
}

/** "4 min", "3 h", "2 days": how old a reading or an exception is. */
export function age(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export function notice(kind: 'ok' | 'problem', text: HtmlValue): SafeHtml {
  return html`<p class="notice ${kind}" role="status">${text}</p>`;
}
