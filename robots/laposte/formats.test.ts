import { describe, expect, it } from 'vitest';
import { recognizeLaPoste } from './formats.ts';

describe('La Poste number formats', () => {
  it.each([
    ['6A12345678901', 'Colissimo (domestic)', 'none'],
    ['8R00000000017', 'Colissimo (domestic)', 'none'],
    ['1K49166648661', 'Lettre suivie', 'none'],
    ['EW112720413FR', 'UPU S10 from France (Colissimo international)', 'valid'],
    ['EW112720414FR', 'UPU S10 from France (Colissimo international)', 'invalid'],
    ['XS585299122FR', 'Chronopost', 'none'],
    ['RB123456785GB', 'UPU S10 from GB (La Poste delivers it in France)', 'valid'],
  ])('%s is %s, check digit %s', (number, format, checkDigit) => {
    expect(recognizeLaPoste(number)).toEqual([{ format, checkDigit }]);
  });

  it.each(['1Z5R89390357567127', '3133421012', '6A1234567890', 'HELLO12345'])('%s is no La Poste format', (number) => {
    expect(recognizeLaPoste(number)).toEqual([]);
  });
});
