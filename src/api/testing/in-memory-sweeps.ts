import type { Clock } from '../../infra/clock.ts';
import type { SweepRecord, SweepsPort } from '../ports.ts';

/**
 * For tests of the routes only, until the scheduler's sweep records (src/schedule/) are merged:
 * a started sweep is recorded as running; starting while one runs returns it.
 */
export class InMemorySweeps implements SweepsPort {
  readonly records: SweepRecord[] = [];

  constructor(private readonly clock: Clock) {}

  async start(trigger: string): Promise<SweepRecord> {
    const running = this.records.find((record) => record.state === 'running');
    if (running) return running;
    const record: SweepRecord = { id: `sweep-${this.records.length + 1}`, trigger, state: 'running', startedAt: this.clock.now().toISOString(), checked: 0, failed: 0 };
    this.records.unshift(record);
    return record;
  }

  async list(limit: number): Promise<SweepRecord[]> {
    return this.records.slice(0, limit);
  }
}
