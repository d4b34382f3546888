import { hashPassword } from '../../api/password-hash.ts';
import { EXIT, InputError } from '../cli-error.ts';
import { readHiddenLine } from '../read-hidden-line.ts';

const MIN_LENGTH = 10;

/**
 * Reads a password on stdin (never an argument: shells keep those in history) and prints its hash
 * for PARCELBOT_WEB_USERS. At a terminal it asks on stderr and reads one line without showing it
 * (anyone behind the operator, a screen share or a recording would see it otherwise); piped, it
 * reads stdin to its end.
 */
export async function hashPasswordCommand(input: NodeJS.ReadStream): Promise<number> {
  const text = input.isTTY ? await readHiddenLine(input, process.stderr, 'password (not shown): ') : await readAll(input);
  const password = text.replace(/\r?\n$/, '');
  if (password.includes('\n')) throw new InputError('password: expected one line on stdin');
  if (password.length < MIN_LENGTH) throw new InputError(`password: expected at least ${MIN_LENGTH} characters on stdin`);
  process.stdout.write(`${await hashPassword(password)}\n`);
  return EXIT.ok;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += String(chunk);
  return text;
}
