import { describe, expect, it } from 'vitest';
import { html } from './html.ts';

describe('html', () => {
  it.each([
    { label: 'a tag from a carrier', value: '<img src=x onerror=alert(1)>', shows: '&lt;img src=x onerror=alert(1)&gt;' },
    { label: 'an attribute breakout', value: '" autofocus onfocus="alert(1)', shows: '&quot; autofocus onfocus=&quot;alert(1)' },
    { label: 'single quotes and ampersands', value: "l'adresse & co", shows: 'l&#39;adresse &amp; co' },
    { label: 'a closing script tag', value: '</script><script>alert(1)</script>', shows: '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;' },
  ])('escapes $label in text and attributes', ({ value, shows }) => {
    expect(html`<td title="${value}">${value}</td>`.markup).toBe(`<td title="${shows}">${shows}</td>`);
  });

  it('keeps markup made by html, joins lists and drops empty values', () => {
    const rows = ['<b>', 'ok'].map((label) => html`<li>${label}</li>`);
    expect(html`<ul>${rows}</ul>${null}${undefined}${false}${0}`.markup).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul>0');
  });
});
