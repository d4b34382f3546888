import type { CustomerLanguage } from '../../domain/shipment.ts';
import { CLOSINGS, type EmailFacts, type EmailTemplate, WORDINGS } from './email-templates.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

/** One template in the customer's language: plain text and the same words as simple HTML. Pure. */
export function renderEmail(template: EmailTemplate, language: CustomerLanguage, facts: EmailFacts): RenderedEmail {
  const { subject, greeting, paragraphs } = WORDINGS[language][template](facts);
  const blocks = [greeting, ...paragraphs, `${CLOSINGS[language]}\n${facts.signature}`];
  const html = [
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #222;">',
    ...blocks.map((block) => `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`),
    '</body></html>',
  ].join('\n');
  return { subject, text: `${blocks.join('\n\n')}\n`, html };
}
