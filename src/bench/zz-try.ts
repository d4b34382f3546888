import { measureSweep } from './sweep-bench.ts';
const figures = await measureSweep({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres', redisUrl: 'redis://127.0.0.1:6379', parcels: Number(process.argv[2] ?? 2000), workerProcesses: 1, workerConcurrency: 16, workDir: '/tmp/pb-bench' });
console.log(JSON.stringify(figures, null, 2));
process.exit(0);
