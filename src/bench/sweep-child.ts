/**
 * One sweep measurement (sweep-bench.ts) in a process of its own, its figures printed as one JSON
 * line. The process driving a sweep lowers its CPU priority and keeps to the background's CPUs
 * (BACKGROUND_CPUS) for good, and the agents' worker and probe it starts for the next measurement
 * would inherit both: each measurement starts from a process at full priority on every CPU.
 * Settings: BENCH_SWEEP_OPTIONS, the SweepBenchOptions as JSON.
 */
import { measureSweep } from './sweep-bench.ts';

const figures = await measureSweep(JSON.parse(process.env.BENCH_SWEEP_OPTIONS ?? ''));
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
