import { numberFor } from '../../fixtures/laposte/testing.ts';

/** A La Poste number of the test catalog: the hostile ones below are made from it. */
export const GOOD_NUMBER = numberFor('in-transit');

/**
 * Tracking numbers as people and attackers type or paste them, and what the refusal must say.
 * Each refusal names the first wrong character by code point, never prints it.
 */
export const HOSTILE_NUMBERS: { label: string; number: string; says: RegExp }[] = [
  { label: 'empty', number: '', says: /got nothing$/ },
  // The API's schema stops a long one before the shape check does.
  { label: '5,000 characters', number: '6'.repeat(5000), says: /(at most 40 characters, got 5000|<=100 characters)$/ },
  { label: 'SQL injection', number: "'; DROP TABLE shipments;--", says: /letters A-Z and digits only, found "'" at position 1$/ },
  { label: 'HTML', number: '<script>alert(1)</script>', says: /found "<" at position 1$/ },
  { label: 'a Cyrillic А', number: `6\u0410${GOOD_NUMBER.slice(2)}`, says: /found U\+0410 at position 2: type the number rather than paste it$/ },
  { label: 'fullwidth digits', number: '６Ａ１２３４５６７８９０１', says: /found U\+FF16 at position 1/ },
  { label: 'a zero-width space', number: `${GOOD_NUMBER.slice(0, 5)}\u200b${GOOD_NUMBER.slice(5)}`, says: /found U\+200B at position 6/ },
  // Unicode upper-casing would make "ı" an "I": a number that is not the one on the label.
  { label: 'a dotless ı', number: `${GOOD_NUMBER.slice(0, -1)}\u0131`, says: new RegExp(`found U\\+0131 at position ${GOOD_NUMBER.length}:`) },
  { label: 'a NUL', number: `${GOOD_NUMBER}\u0000`, says: /U\+0000/ },
];
