import { load } from 'cheerio';
import fc from 'fast-check';
import { moveDate, seededRandom } from './moved-dates.ts';
import { oddString } from './odd-input.ts';

/** Saved portal pages broken in a few places, as a redesign, a bug or a hostile page would. */

/** How one element of a page is changed; `at` picks the element (modulo the page's element count). `dates` moves the page's dates, `links` breaks its links. */
type HtmlChange =
  | { at: number; kind: 'remove' | 'duplicate' | 'empty' }
  | { at: number; kind: 'text' | 'html'; text: string }
  | { at: number; kind: 'attribute'; name: string; value: string | undefined }
  | { at: number; kind: 'rename'; tag: string }
  | { at: number; kind: 'move'; to: number }
  | { at: number; kind: 'dates' | 'links'; seed: number };

/** Links a page may hold: broken, empty, relative, elsewhere, a script. */
const ODD_LINKS = ['http://', 'http://[::1', 'https://a b', '//', ':', '', ' ', '#', '?page=2', '../../..', 'javascript:alert(1)', 'https://other.example/x', 'mailto:x@y.example'];

/** The attributes parsers read, and any other. */
const attributeName = fc.oneof(fc.constantFrom('datetime', 'href', 'data-code', 'data-count', 'id', 'class', 'name', 'value', 'type', 'checked', 'action', 'rel', 'role'), fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom(...'abcdefghij-') }));

const htmlChange: fc.Arbitrary<HtmlChange> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), kind: fc.constantFrom('remove' as const, 'duplicate' as const, 'empty' as const) }) },
  { weight: 3, arbitrary: fc.record({ at: fc.nat(), kind: fc.constantFrom('text' as const, 'html' as const), text: oddString }) },
  { weight: 3, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('attribute' as const), name: attributeName, value: fc.option(oddString, { nil: undefined }) }) },
  fc.record({ at: fc.nat(), kind: fc.constant('rename' as const), tag: fc.constantFrom('div', 'span', 'time', 'a', 'tr', 'td', 'table', 'tbody', 'form', 'input', 'script', 'section') }),
  fc.record({ at: fc.nat(), kind: fc.constant('move' as const), to: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), kind: fc.constantFrom('dates' as const, 'links' as const), seed: fc.nat() }) },
);

function applyHtmlChange(html: string, change: HtmlChange): string {
  const $ = load(html);
  const elements = $('body *').toArray();
  if (elements.length === 0) return html;
  const element = elements[change.at % elements.length]!;
  const found = $(element);
  switch (change.kind) {
    case 'remove':
      found.remove();
      break;
    case 'duplicate':
      found.after(found.clone());
      break;
    case 'empty':
      found.empty();
      break;
    case 'text':
      found.text(change.text);
      break;
    case 'html':
      found.html(change.text);
      break;
    case 'attribute':
      if (change.value === undefined) found.removeAttr(change.name);
      else found.attr(change.name, change.value);
      break;
    case 'rename':
      element.tagName = change.tag;
      break;
    case 'move': {
      const target = elements[change.to % elements.length]!;
      if (target !== element && !found.find(target).length) $(target).append(found);
      break;
    }
    case 'links': {
      // Half of the page's links and form actions, each made one no browser could follow, or another site's.
      const random = seededRandom(change.seed);
      for (const link of $('[href], [action]').toArray()) {
        const name = link.attribs.href === undefined ? 'action' : 'href';
        if (random() < 0.5) link.attribs[name] = ODD_LINKS[Math.floor(random() * ODD_LINKS.length)]!;
      }
      break;
    }
    case 'dates': {
      // Half of the page's `datetime` attributes, each moved (moved-dates.ts).
      const random = seededRandom(change.seed);
      for (const time of $('[datetime]').toArray()) {
        const moved = random() < 0.5 ? moveDate(time.attribs.datetime ?? '', random) : undefined;
        if (moved !== undefined) time.attribs.datetime = moved;
      }
      break;
    }
  }
  return $.html();
}

/**
 * One of the saved pages `pages` changed in one to four places: an element removed, doubled,
 * emptied, renamed or moved, its text or inner HTML replaced (script and markup included), an
 * attribute the parser reads set to anything or removed, dates moved out of range or out of order.
 */
export function mutatedHtml(pages: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...pages), fc.array(htmlChange, { minLength: 1, maxLength: 4 })).map(([page, changes]) => changes.reduce(applyHtmlChange, page));
}

