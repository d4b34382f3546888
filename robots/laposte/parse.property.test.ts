import { describe, it } from 'vitest';
import { recordedPayloads } from '../../fixtures/testing/payloads.ts';
import { checkTrackOutcomes } from '../../src/testing/domain-checks.ts';
import { anyAnswer, mutatedAnswer, trackAnswers } from '../../src/testing/carrier-answers.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { parseIdshipsResponse } from './parse.ts';

// Whatever La Poste answers, the parser returns well-formed outcomes or a classified error with evidence.

const STATUSES = [200, 207, 400, 404];
const asked = { numberKeys: ['idShip'], maxNumbers: 10 };

describe('parseIdshipsResponse never crashes', () => {
  it.each([
    ['any text', anyAnswer(STATUSES)],
    ['recorded payloads broken in a few places', mutatedAnswer(recordedPayloads('laposte', '.json'), STATUSES)],
  ])('%s: outcomes for every number asked, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(
      trackAnswers(answers, asked),
      ({ status, body, numbers }) => parseIdshipsResponse(status, body, numbers),
      (outcomes, { numbers }) => checkTrackOutcomes(outcomes, numbers),
    );
  });
});
