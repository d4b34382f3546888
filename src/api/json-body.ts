import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.ts';

/**
 * JSON bodies in UTF-8, as RFC 8259 has them. Fastify's own parser reads other bytes (a Latin-1
 * export, UTF-16) as U+FFFD, and an import would store "caf�": this one refuses them, then parses
 * as Fastify does (`__proto__` and `constructor.prototype` keys refused).
 */
export function installJsonBodyParser(server: FastifyInstance): void {
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      done(new HttpProblem(400, 'invalid-encoding', 'the body is not valid UTF-8: send JSON encoded in UTF-8'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
