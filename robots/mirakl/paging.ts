/** OR11 pages at most 100 orders (`max`, documented for OF21; carrier-apis.md 8.2). */
export const PAGE_SIZE = 100;

/**
 * How far a window's list has been read. The window ends in the past, so its list only loses
 * orders while it is read: an order updated again gets an update date past the window's end, and
 * every order after it moves up one place. Offsets count from the list's start, so a departure
 * before an offset moves an unread order into the places already read. The list is therefore read
 * forwards while it holds still, and once it has shrunk, backwards from its end (`upTo`): there a
 * departure only moves unread orders towards places still to be read, and every page makes
 * progress however busy the shop is.
 */
export interface PagePosition {
  /** Every order before this place has been read. Reading forwards, the next page starts here. */
  offset: number;
  /** How many orders the window held when the last page was read. */
  total: number;
  /** Reading backwards: every order from this place on has been read, and the next page ends here. */
  upTo?: number;
}

/** `200/345` forwards, `98/251/152` backwards: the page token handed back to the sync, opaque to it. */
export function encodePosition(position: PagePosition): string {
  return [position.offset, position.total, ...(position.upTo === undefined ? [] : [position.upTo])].join('/');
}

/**
 * The position a token names; undefined for the first page; throws on a token that is not one.
 * Tokens stored before backward reading existed (`offset/total`) read as forward positions, which
 * is what they meant.
 */
export function decodePosition(token: string | undefined): PagePosition | undefined {
  if (token === undefined) return undefined;
  const match = /^(\d+)\/(\d+)(?:\/(\d+))?$/.exec(token);
  if (!match) throw new Error(`"${token.slice(0, 40)}" is not a Mirakl page token`);
  return { offset: Number(match[1]), total: Number(match[2]), ...(match[3] === undefined ? {} : { upTo: Number(match[3]) }) };
}

/** The OR11 `offset` of the page at this position: a backward page is a full one ending at `upTo`. */
export function pageOffset(position: PagePosition | undefined): number {
  if (position?.upTo === undefined) return position?.offset ?? 0;
  return Math.max(0, position.upTo - PAGE_SIZE);
}

/**
 * Where the page after this one is, or undefined when the window is read. `read` orders were
 * listed from `pageOffset(asked)` in a list of `total`. The orders that left since the page
 * before may all have been before `offset`: that many places before it are counted unread again.
 */
export function nextPosition(asked: PagePosition | undefined, read: number, total: number): PagePosition | undefined {
  const before = asked?.total ?? total;
  const offset = Math.max(0, (asked?.offset ?? 0) - Math.max(0, before - total));
  if (asked?.upTo !== undefined) {
    // Orders that came in late (the list grew) push unread ones past `upTo`: read those places again.
    const upTo = total > before ? asked.upTo + (total - before) : Math.min(pageOffset(asked), total);
    return unreadLeft({ offset, total, upTo });
  }
  const start = asked?.offset ?? 0;
  if (total >= before) return read === 0 || start + read >= total ? undefined : { offset: start + read, total };
  // The list shrank: the places just before this page may hold unread orders. Everything after
  // them is read backwards, this page again unless it was the last.
  return unreadLeft({ offset, total, upTo: start + read >= total ? Math.min(start, total) : total });
}

function unreadLeft(position: Required<PagePosition>): PagePosition | undefined {
  return position.offset < position.upTo ? position : undefined;
}
