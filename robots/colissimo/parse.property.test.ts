import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitMultipart } from '../../src/robot-kit/index.ts';
import { mutatedJson } from '../../src/testing/mutated-json.ts';
import { anyBytes, mutatedBytes, oddString } from '../../src/testing/odd-input.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { type LabelExchange, parseLabelAnswer } from './parse.ts';

// Whatever Colissimo answers generateLabel, the parser returns a parcel number and a PDF, or a
// classified error with evidence.

const folder = new URL('../../fixtures/colissimo/payloads/', import.meta.url);
const request = { method: 'POST', url: 'https://ws.colissimo.fr/sls-ws/SlsServiceWSRest/2.0/generateLabel' };

/** Each recorded answer with the Content-Type it came with (multipart files start with their boundary). */
const recorded = readdirSync(folder)
  .filter((file) => /\.(multipart|json)$/.test(file))
  .sort()
  .map((file) => {
    const bytes = readFileSync(new URL(file, folder));
    const boundary = /^--(\S+)/.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
    const contentType = boundary === undefined ? 'application/json' : `multipart/mixed; boundary="${boundary}"; type="application/json"`;
    return { bytes, contentType, boundary };
  });

const status = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(200, 400) }, fc.integer({ min: 100, max: 599 }));
const contentType = fc.oneof(fc.constantFrom(...recorded.map((answer) => answer.contentType)), fc.constant('multipart/mixed; boundary=x'), oddString.map((text) => `multipart/related; boundary=${text}`), oddString);

/** A recorded multipart answer with its JSON part broken in a few places, the other parts as they were. */
function withJsonPartMutated(answer: (typeof recorded)[number]) {
  const boundary = answer.boundary!;
  const parts = splitMultipart(answer.bytes, boundary);
  const jsonAt = parts.findIndex((part) => part.headers['content-id'] === '<jsonInfos>');
  const json = parts[jsonAt]!.body.toString('utf8');
  return mutatedJson([json]).map((mutated) => {
    const write = (part: (typeof parts)[number], body: Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\n${Object.entries(part.headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`), body, Buffer.from('\r\n')]);
    return Buffer.concat([...parts.map((part, index) => write(part, index === jsonAt ? Buffer.from(mutated) : part.body)), Buffer.from(`--${boundary}--\r\n`)]);
  });
}

const readable = recorded.filter((answer) => answer.boundary !== undefined && answer.bytes.includes('--' + answer.boundary + '--'));

const exchanges = {
  'any bytes, any Content-Type': fc.record({ status, contentType, bytes: anyBytes }),
  'recorded answers with their JSON part broken in a few places': fc.oneof(
    ...readable.map((answer) => fc.record({ status, contentType: fc.constant(answer.contentType), bytes: withJsonPartMutated(answer) })),
    ...recorded.filter((answer) => answer.boundary === undefined).map((answer) => fc.record({ status, contentType: fc.constant(answer.contentType), bytes: mutatedJson([answer.bytes.toString('utf8')]).map((text) => Buffer.from(text)) })),
  ),
  'recorded answers cut, with bytes dropped or inserted': fc.oneof(...recorded.map((answer) => fc.record({ status, contentType: fc.constant(answer.contentType), bytes: mutatedBytes(answer.bytes) }))),
};

describe('parseLabelAnswer never crashes', () => {
  it.each(Object.entries(exchanges))('%s: a parcel number and a PDF, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(
      answers.map((answer): LabelExchange => ({ request, ...answer })),
      parseLabelAnswer,
      ({ parcelNumber, pdf }) => {
        expect(parcelNumber).toMatch(/\S/);
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      },
    );
  });
});
