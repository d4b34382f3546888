import { describe, expect, it } from 'vitest';
import { MemoTable } from './memo-table.ts';

describe('MemoTable', () => {
  it('computes a key once while it is kept, and again once the table was full and forgot it', () => {
    const table = new MemoTable<number, number>(2);
    const computed: number[] = [];
    const square = (key: number) => (computed.push(key), key * key);
    expect([table.get(3, square), table.get(3, square), table.get(4, square)]).toEqual([9, 9, 16]);
    expect(computed).toEqual([3, 4]);
    expect(table.get(5, square)).toBe(25);
    expect(table.get(3, square)).toBe(9);
    expect(computed).toEqual([3, 4, 5, 3]);
  });

  it('keeps an undefined result too', () => {
    const table = new MemoTable<string, string | undefined>(10);
    let calls = 0;
    const nothing = () => (calls++, undefined);
    table.get('a', nothing);
    table.get('a', nothing);
    expect(calls).toBe(1);
  });
});
