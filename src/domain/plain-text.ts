/**
 * Characters no text parcelbot keeps may hold: control characters (but tab, line feed and
 * carriage return), DEL, C1 controls and unpaired surrogates. PostgreSQL refuses NUL and unpaired
 * surrogates (the statement fails), and a terminal obeys the escapes when a command prints them.
 */
const NOT_PLAIN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udfff]/u;

/** How a message names one character without printing it: `"x"` when visible ASCII, else `U+200B` (invisible, a look-alike, a control). */
export function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code > 0x20 && code < 0x7f) return `"${character}"`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a text cannot be kept as given (a control character, half a surrogate pair), or null. Never echoes the text. */
export function plainTextProblem(text: string): string | null {
  const match = NOT_PLAIN.exec(text);
  if (!match) return null;
  const what = /^[\ud800-\udfff]$/u.test(match[0]) ? 'half a surrogate pair' : 'the control character';
  return `holds ${what} ${describeCharacter(match[0])} at position ${match.index + 1}: remove it`;
}

/** plainTextProblem as a schema refinement (zod's `superRefine`): one issue saying where and what. */
export function refinePlainText(text: string, context: { addIssue(issue: { code: 'custom'; message: string }): void }): void {
  const problem = plainTextProblem(text);
  if (problem) context.addIssue({ code: 'custom', message: problem });
}
