/** One thing wrong in a rules file, where it is written. */
export interface RulesFileProblem {
  file: string;
  line: number;
  col: number;
  /** What is wrong and how to fix it. */
  message: string;
}

export function formatProblem(problem: RulesFileProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.message}`;
}

/**
 * A rules file that cannot be used: every problem found, in file order. The message is one
 * line (the first problem and a count) for commands that stop at start; `parcelbot rules check`
 * prints them all.
 */
export class RulesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly RulesFileProblem[],
  ) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: run parcelbot rules check ${file})` : '';
    super(first ? `${formatProblem(first)}${more}` : `${file}: unusable rules file`);
    this.name = 'RulesFileError';
  }
}
