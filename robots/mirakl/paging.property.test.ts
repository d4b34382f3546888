import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePosition, encodePosition, nextPosition, PAGE_SIZE, pageOffset } from './paging.ts';

// A window's list read page by page while orders leave it (updated again, past the window's end)
// between any two pages: every order that stays is read, and the pages end however busy the shop.

interface Run {
  size: number;
  /** Before each page after the first: the places of the orders that leave, taken in the list as it is then. */
  departures: number[][];
}

const runs: fc.Arbitrary<Run> = fc.record({
  size: fc.integer({ min: 0, max: 450 }),
  departures: fc.array(fc.array(fc.nat(), { maxLength: 4 }), { maxLength: 12 }),
});

/** The pages' reads, the orders that left, and whether the window was read in the pages allowed. */
function readWindow({ size, departures }: Run, pagesAllowed: number) {
  let list = Array.from({ length: size }, (_, i) => i);
  const read = new Set<number>();
  const left = new Set<number>();
  let token: string | undefined;
  for (let page = 0; page < pagesAllowed; page++) {
    for (const place of page === 0 ? [] : (departures[page - 1] ?? [])) {
      if (list.length === 0) break;
      const [gone] = list.splice(place % list.length, 1);
      left.add(gone!);
    }
    const asked = decodePosition(token);
    const orders = list.slice(pageOffset(asked), pageOffset(asked) + PAGE_SIZE);
    for (const order of orders) read.add(order);
    const next = nextPosition(asked, orders.length, list.length);
    if (next === undefined) return { read, left, finished: true };
    token = encodePosition(next);
  }
  return { read, left, finished: false };
}

describe('reading a shrinking window', () => {
  it('reads every order that stays, in at most twice the pages of a still list plus two', () => {
    fc.assert(
      fc.property(runs, (run) => {
        const { read, left, finished } = readWindow(run, 2 * Math.ceil(run.size / PAGE_SIZE) + 2);
        expect(finished).toBe(true);
        for (let order = 0; order < run.size; order++) if (!left.has(order)) expect(read.has(order)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gets past the first page when an order already read leaves before every page', () => {
    const run = { size: 400, departures: Array.from({ length: 12 }, () => [0]) };
    const { read, finished } = readWindow(run, 10);
    expect(finished).toBe(true);
    expect(read.size).toBeGreaterThanOrEqual(400 - 9);
  });

  it('reads a still list forwards, in tokens the version before wrote', () => {
    expect(nextPosition(undefined, 100, 253)).toEqual({ offset: 100, total: 253 });
    expect(encodePosition(nextPosition(decodePosition('100/253'), 100, 253)!)).toBe('200/253');
    expect(nextPosition(decodePosition('200/253'), 53, 253)).toBeUndefined();
  });

  it('reads a token of the version before that went back after a shrink, and refuses what is no token', () => {
    expect(decodePosition('98/251')).toEqual({ offset: 98, total: 251 });
    expect(pageOffset(decodePosition('98/251'))).toBe(98);
    expect(decodePosition('98/251/152')).toEqual({ offset: 98, total: 251, upTo: 152 });
    expect(pageOffset(decodePosition('98/251/152'))).toBe(52);
    expect(() => decodePosition('98/-1')).toThrow('"98/-1" is not a Mirakl page token');
  });
});
