import { describe, it } from 'vitest';
import { recordedPayloads } from '../../fixtures/testing/payloads.ts';
import { checkTrackOutcome } from '../../src/testing/domain-checks.ts';
import { anyAnswer, mutatedAnswer, trackAnswers } from '../../src/testing/carrier-answers.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { parseShipmentsResponse } from './parse.ts';

// Whatever DHL answers, the parser returns a well-formed outcome or a classified error with evidence.

const STATUSES = [200, 400, 404];
const asked = { numberKeys: ['id', 'pieceIds'], maxNumbers: 1 };

describe('parseShipmentsResponse never crashes', () => {
  it.each([
    ['any text', anyAnswer(STATUSES)],
    ['recorded payloads broken in a few places', mutatedAnswer(recordedPayloads('dhl', '.json'), STATUSES)],
  ])('%s: an outcome for the number asked, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(
      trackAnswers(answers, asked),
      ({ status, body, numbers: [number = ''] }) => parseShipmentsResponse(status, body, number),
      (outcome, { numbers: [number = ''] }) => checkTrackOutcome(outcome, number),
    );
  });
});
