/** OR11 pages at most 100 orders (`max`, documented for OF21; carrier-apis.md 8.2). */
export const PAGE_SIZE = 100;

/** Where a page starts in the window's list, and how many orders the window held when it was read. */
export interface PagePosition {
  offset: number;
  total: number;
}

/** `200/345`: the page token handed back to the sync, opaque to it. */
export function encodePosition(position: PagePosition): string {
  return `${position.offset}/${position.total}`;
}

/** The position a token names; undefined for the first page; throws on a token that is not one. */
export function decodePosition(token: string | undefined): PagePosition | undefined {
  if (token === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(token);
  if (!match) throw new Error(`"${token.slice(0, 40)}" is not a Mirakl page token`);
  return { offset: Number(match[1]), total: Number(match[2]) };
}

/**
 * Where the page after this one starts, or undefined when this was the last. Offsets count in a
 * list that can shrink while it is read: an order read already and updated again since leaves
 * the window (its new update date is past its end), and every order after it moves up one place.
 * When `total_count` went down by `d`, the next page starts `d` places back, so no order slips
 * between two pages unread; the few read twice are harmless (the sync is idempotent).
 */
export function nextPosition(asked: PagePosition | undefined, read: number, total: number): PagePosition | undefined {
  const offset = asked?.offset ?? 0;
  const shrunk = Math.min(Math.max(0, (asked?.total ?? total) - total), offset);
  if (shrunk > 0) return { offset: offset - shrunk, total };
  if (read === 0 || offset + read >= total) return undefined;
  return { offset: offset + read, total };
}
