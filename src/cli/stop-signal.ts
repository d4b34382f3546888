/**
 * Resolves with the first SIGTERM or SIGINT. A service listens before it says it is ready: a
 * supervisor that stops it as soon as it reads that line (on two busy cores the line can be
 * read before the next statement runs) must find the handler there, not Node's default exit.
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}
