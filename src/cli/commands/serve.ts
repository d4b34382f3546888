import { buildServer } from '../../api/build-server.ts';
import type { App } from '../../main.ts';
import { EXIT, InputError } from '../cli-error.ts';
import { stopSignal } from '../stop-signal.ts';

/**
 * The web app and the API until SIGTERM or SIGINT, then a clean stop: no new requests, those in
 * flight answered, sweeps started over the API interrupted (resumable), in-process workers
 * (--with-workers: the track queues and the follow-up queue) let their jobs finish.
 */
export async function serveCommand(app: App, options: { withWorkers?: boolean }): Promise<number> {
  const { core } = app.config;
  if (!core.PARCELBOT_API_KEYS?.length && !core.PARCELBOT_WEB_USERS?.length) {
    throw new InputError('nobody could use the app: set PARCELBOT_API_KEYS (role:key,...) or PARCELBOT_WEB_USERS (role:name:hash, see parcelbot hash-password)');
  }
  await app.store();
  const workers = options.withWorkers ? withFollowUpWorker(app) : undefined;
  const server = await buildServer({ app });
  let address: string;
  try {
    address = await server.listen({ port: core.PORT, host: core.HOST });
  } catch (error) {
    await server.close();
    await workers?.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`${core.HOST}:${core.PORT} is already in use: stop what holds it, or set PORT`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new InputError(`HOST: ${core.HOST} is not an address of this machine`);
    throw error;
  }
  const stopping = stopSignal();
  app.logger.info({ address, workers: Boolean(workers), redis: app.redis.describe }, 'serving');
  process.stderr.write(`parcelbot serve: listening on ${address}${workers ? ', with workers' : ''} (Ctrl-C to stop)\n`);
  const signal = await stopping;
  app.logger.info({ signal }, 'stopping: answering requests in flight');
  await server.close();
  await workers?.close();
  return EXIT.ok;
}

/** The track workers and a follow-up worker, stopped together. */
function withFollowUpWorker(app: App): { close(): Promise<void> } {
  const track = app.startWorkers();
  const followUps = app.startFollowUpWorker();
  return {
    async close() {
      await Promise.all([track.close(), followUps.close()]);
    },
  };
}
