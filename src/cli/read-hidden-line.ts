const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ERASE = new Set(['\u007f', '\b']);

/**
 * One line typed at a terminal, never shown. The terminal is put in raw mode (no echo) before the
 * prompt is written: nothing typed after the prompt appears can be echoed. Backspace erases a
 * character and Ctrl-U the line; Ctrl-D on an empty line ends it; Ctrl-C stops the program as
 * it would at a shell prompt (raw mode turns it into a plain byte, so it is raised again).
 */
export function readHiddenLine(input: NodeJS.ReadStream, output: NodeJS.WritableStream, prompt: string): Promise<string> {
  input.setRawMode(true);
  input.setEncoding('utf8');
  output.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      // Enter was not echoed either: the next output starts on a line of its own.
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (ENTER.has(char) || (char === CTRL_D && line === '')) {
          finish();
          resolve(line);
          return;
        }
        if (char === CTRL_C) {
          finish();
          process.kill(process.pid, 'SIGINT');
          return;
        }
        if (ERASE.has(char)) line = Array.from(line).slice(0, -1).join('');
        else if (char === CTRL_U) line = '';
        else line += char;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
