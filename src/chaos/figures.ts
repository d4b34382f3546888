/** One line of the run's table: what was counted, and the breach it shows, if any. */
export interface Figure {
  /** The guarantee it belongs to: `checked`, `follow-ups`, `effects`, `failures`, `stuck`, `run`. */
  section: string;
  name: string;
  value: string | number;
  /** Set when the figure breaks a guarantee: what, with up to a few examples. */
  breach?: string;
}

/** A figure that must be zero: a breach naming the first few offenders otherwise. */
export function mustBeNone(section: string, name: string, offenders: readonly string[]): Figure {
  return {
    section,
    name,
    value: offenders.length,
    ...(offenders.length > 0 ? { breach: `${offenders.length} ${name}: ${offenders.slice(0, 5).join('; ')}${offenders.length > 5 ? '; ...' : ''}` } : {}),
  };
}

export function info(section: string, name: string, value: string | number): Figure {
  return { section, name, value };
}

/** Values of `keys` seen more than once, each with its count: `key (3x)`. */
export function repeated(keys: Iterable<string>): string[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([key, count]) => `${key} (${count}x)`);
}

/** The table: section, figure, value, and OK or BREACH with what. */
export function formatFigures(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [figure.section, figure.name, String(figure.value), figure.breach ? `BREACH: ${figure.breach}` : 'ok']);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length), ['section', 'figure', 'value'][column]!.length));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  ');
  return [line(['section', 'figure', 'value', 'result']), ...rows.map(line)].join('\n');
}
