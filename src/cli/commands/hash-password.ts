import { hashPassword } from '../../api/password-hash.ts';
import { EXIT, InputError } from '../cli-error.ts';

const MIN_LENGTH = 10;

/** Reads a password on stdin (never an argument: shells keep those in history) and prints its hash for PARCELBOT_WEB_USERS. */
export async function hashPasswordCommand(input: NodeJS.ReadableStream): Promise<number> {
  let text = '';
  for await (const chunk of input) text += String(chunk);
  const password = text.replace(/\r?\n$/, '');
  if (password.includes('\n')) throw new InputError('password: expected one line on stdin');
  if (password.length < MIN_LENGTH) throw new InputError(`password: expected at least ${MIN_LENGTH} characters on stdin`);
  process.stdout.write(`${await hashPassword(password)}\n`);
  return EXIT.ok;
}
