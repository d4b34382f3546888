import type { Actor } from '../access.ts';
import type { Problem } from '../problem.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

/** A failure on a page: the problem's title and detail, never a stack trace. */
export function errorPage(problem: Problem, actor?: Actor): string {
  const body = html`<p class="notice problem">${problem.detail}</p>${problem.errors?.map((error) => html`<p>${error.field}: ${error.message}</p>`)}<p><a href="/">Back</a></p>`;
  return page({ title: `${problem.status} ${problem.title}`, actor, body }).markup;
}
