import { describe, expect, it } from 'vitest';
import { MemoTable } from './memo-table.ts';

describe('MemoTable', () => {
  it('computes a key once while it is kept, and again once the table was full and forgot it', () => {
    const computed: number[] = [];
    const table = new MemoTable(2, (key: number) => (computed.push(key), key * key));
    expect([table.get(3), table.get(3), table.get(4)]).toEqual([9, 9, 16]);
    expect(computed).toEqual([3, 4]);
    expect(table.get(5)).toBe(25);
    expect(table.get(3)).toBe(9);
    expect(computed).toEqual([3, 4, 5, 3]);
  });

  it('keeps an undefined result too', () => {
    let calls = 0;
    const table = new MemoTable<string, string | undefined>(10, () => (calls++, undefined));
    table.get('a');
    table.get('a');
    expect(calls).toBe(1);
  });
});
