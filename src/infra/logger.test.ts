import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', format: 'json', destination }) };
}

describe('logger', () => {
  it('writes JSON lines', () => {
    const { lines, logger } = capture();
    logger.info({ robot: 'laposte' }, 'hello');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ msg: 'hello', robot: 'laposte', app: 'parcelbot' });
  });

  it('redacts API keys, credentials and customer personal data, at the top level and one level down', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        apiKey: 'key-top',
        customerEmail: 'camille.martin@example.com',
        request: { headers: { 'x-okapi-key': 'okapi-secret', authorization: 'Bearer tok' } },
        shipment: { customerEmail: 'lucas@example.com', password: 'hunter2', trackingNumber: '6A12345678901' },
      },
      'call',
    );
    const line = lines.join('');
    for (const secret of ['key-top', 'camille.martin@example.com', 'okapi-secret', 'Bearer tok', 'lucas@example.com', 'hunter2']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('6A12345678901');
  });
});
