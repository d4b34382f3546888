import { describe, expect, it } from 'vitest';
import { TRACKING_STATUSES } from './tracking-status.ts';
import { suggestAnswer } from './suggested-answer.ts';

describe('suggested answers', () => {
  it.each(TRACKING_STATUSES)('has a distinct French and English sentence for %s', (status) => {
    const fr = suggestAnswer({ status }, 'fr');
    const en = suggestAnswer({ status }, 'en');
    expect(fr.length).toBeGreaterThan(20);
    expect(en.length).toBeGreaterThan(20);
    expect(fr).not.toBe(en);
  });

  it('gives each status its own answer', () => {
    const answers = new Set(TRACKING_STATUSES.map((status) => suggestAnswer({ status }, 'en')));
    expect(answers.size).toBe(TRACKING_STATUSES.length);
  });

  it("quotes the carrier's estimate, else the promise, as a day in the customer's language", () => {
    const estimate = { from: '2026-03-12T00:00:00+01:00', to: '2026-03-12T23:59:59+01:00' };
    expect(suggestAnswer({ status: 'in_transit', estimatedDelivery: estimate }, 'fr')).toContain('le jeudi 12 mars');
    expect(suggestAnswer({ status: 'in_transit', estimatedDelivery: estimate }, 'en')).toContain('on Thursday 12 March');
    expect(suggestAnswer({ status: 'in_transit', promised: { from: '2026-03-13', to: '2026-03-13' } }, 'en')).toContain('promised for Friday 13 March');
  });

  it('reads a promised calendar date as that day in any time zone', () => {
    expect(suggestAnswer({ status: 'picked_up', promised: { from: '2026-03-01', to: '2026-03-01' } }, 'fr')).toContain('dimanche 1 mars');
  });

  it('says customs when the reason is customs', () => {
    expect(suggestAnswer({ status: 'on_hold', reason: 'customs_delay' }, 'en')).toContain('in customs');
    expect(suggestAnswer({ status: 'on_hold', reason: 'carrier_incident' }, 'en')).toContain('by the carrier');
  });
});
