import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRefusingPostgres } from '../../fixtures/postgres/refusing-server.ts';
import { CONNECT_TIMEOUT_MS, DatabaseUnavailableError } from './database-unavailable-error.ts';
import { redactUrl } from '../infra/redact-url.ts';
import { openDatabase } from './open-database.ts';
import { ANSWER_GRACE_MS, DatabaseNotAnsweringError } from './postgres-database.ts';
import { StoreError } from './store-error.ts';
import { dropSchema } from './test-database.ts';
import { closedPort } from '../../fixtures/testing/closed-port.ts';

// DATABASE_URL that cannot be used: one line that names the variable and the reason, never the password.

const databaseUrl = process.env.DATABASE_URL || undefined;
const PASSWORD = 'hunter2-LEAKCHECK';
const FIX = 'check DATABASE_URL, or unset it to use the embedded store';

/** The TCP socket of this host whose local port is `localPort`, from Linux's table (/proc/net/tcp, tcp6): its peer's port and its timer. */
function tcpSocketOf(localPort: number): { remotePort: number; timer: number; secondsToNext: number } {
  const lines = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) => (existsSync(table) ? readFileSync(table, 'utf8').split('\n').slice(1) : []));
  for (const line of lines) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when ... (addresses as HEXADDRESS:HEXPORT, when in hundredths of a second)
    const [, local, remote, , , timer] = line.trim().split(/\s+/);
    if (local === undefined || Number.parseInt(local.split(':')[1] ?? '', 16) !== localPort) continue;
    const [kind, when] = (timer ?? '').split(':');
    return { remotePort: Number.parseInt(remote?.split(':')[1] ?? '', 16), timer: Number.parseInt(kind ?? '', 16), secondsToNext: Number.parseInt(when ?? '', 16) / 100 };
  }
  throw new Error(`no TCP socket has local port ${localPort}`);
}

/**
 * Between the store and the PostgreSQL server of `serverUrl`: forwards every connection until
 * muted, then carries nothing more either way on any connection, old or new, while keeping them
 * open, as a stuck server or a network that drops packets would.
 */
async function startMutingProxy(serverUrl: string): Promise<{ url: string; mute(): void; unmute(): void; cutAll(): void; close(): Promise<void> }> {
  const server = new URL(serverUrl);
  let muted = false;
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(server.port || 5432), server.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from.on('error', () => {}));
      from.on('data', (chunk: Buffer) => void (muted || to.write(chunk)));
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(server.href);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as { port: number }).port);
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    url: url.href,
    mute: () => (muted = true),
    unmute: () => (muted = false),
    cutAll,
    close: async () => {
      cutAll();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

async function refusalOf(url: string): Promise<Error> {
  // A schema of its own: nothing is created, as no connection is made.
  const schema = `unavailable_${randomBytes(4).toString('hex')}`;
  const error = await openDatabase({ databaseUrl: url, dataDir: 'memory://', schema }).then(
    async (db) => {
      await db.close();
      throw new Error(`${url} opened`);
    },
    (thrown: Error) => thrown,
  );
  expect(error).toBeInstanceOf(DatabaseUnavailableError);
  expect(error.message).not.toContain(PASSWORD);
  return error;
}

describe('a DATABASE_URL that cannot be used', () => {
  it('says the connection is refused', async () => {
    const port = await closedPort();
    expect((await refusalOf(`postgres://app:${PASSWORD}@127.0.0.1:${port}/parcelbot`)).message).toBe(`PostgreSQL at postgres://***@127.0.0.1:${port}/parcelbot: connection refused: ${FIX}`);
  });

  it('says the host is unknown', async () => {
    // .invalid never resolves (RFC 2606); without a resolver at all the lookup fails "now".
    expect((await refusalOf(`postgres://app:${PASSWORD}@nohost.invalid/parcelbot`)).message).toMatch(
      new RegExp(`^PostgreSQL at postgres://\\*\\*\\*@nohost\\.invalid/parcelbot: (no such host|the host name does not resolve now): ${FIX}$`),
    );
  });

  it('says no answer came in time from a host that takes the connection and never speaks', { timeout: CONNECT_TIMEOUT_MS + 10_000 }, async () => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      expect((await refusalOf(`postgres://app:${PASSWORD}@127.0.0.1:${port}/parcelbot`)).message).toBe(`PostgreSQL at postgres://***@127.0.0.1:${port}/parcelbot: no answer within 10 s: ${FIX}`);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says the server refuses the password', async () => {
    const server = await startRefusingPostgres('28P01', 'password authentication failed for user "app"');
    try {
      expect((await refusalOf(`postgres://app:${PASSWORD}@127.0.0.1:${server.port}/parcelbot`)).message).toBe(
        `PostgreSQL at postgres://***@127.0.0.1:${server.port}/parcelbot: the server refuses the password: ${FIX}`,
      );
    } finally {
      await server.close();
    }
  });

  it.skipIf(!databaseUrl)('fails a statement that needs a new connection to a server that stopped answering, after 10 s, rather than waiting for ever', { timeout: CONNECT_TIMEOUT_MS + 20_000 }, async () => {
    const proxy = await startMutingProxy(databaseUrl ?? '');
    const schema = `unavailable_${randomBytes(4).toString('hex')}`;
    const db = await openDatabase({ databaseUrl: proxy.url, dataDir: 'memory://', schema });
    try {
      await db.query('select 1');
      // The pool's connections are cut: the next statement needs a new one, which the server never answers.
      proxy.mute();
      proxy.cutAll();
      // Time for the pool to see its connections end and let them go.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(db.query('select 1')).rejects.toThrow('Connection terminated due to connection timeout');
    } finally {
      await db.close();
      await proxy.close();
      await dropSchema(databaseUrl ?? '', schema);
    }
  });

  it.skipIf(!databaseUrl)('gives up a statement the server never answers on an open connection, closes that connection and goes on with new ones (DATABASE_STATEMENT_TIMEOUT_MS)', { timeout: 40_000 }, async () => {
    const proxy = await startMutingProxy(databaseUrl ?? '');
    const schema = `unavailable_${randomBytes(4).toString('hex')}`;
    const statementTimeoutMs = 1000;
    const db = await openDatabase({ databaseUrl: proxy.url, dataDir: 'memory://', schema, connections: 1, statementTimeoutMs });
    const waited = `within ${(statementTimeoutMs + ANSWER_GRACE_MS) / 1000} s`;
    try {
      await db.query('select 1');
      proxy.mute();
      const started = performance.now();
      const unanswered = await db.query('select 1').then(() => undefined, (error: Error) => error);
      expect(unanswered).toBeInstanceOf(DatabaseNotAnsweringError);
      expect(unanswered?.message).toBe(`PostgreSQL at ${redactUrl(proxy.url)} did not answer a statement ${waited} (DATABASE_STATEMENT_TIMEOUT_MS and 5 s of grace): the statement was abandoned and its connection closed; check the server and the network to it`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(statementTimeoutMs + ANSWER_GRACE_MS - 50);
      proxy.unmute();
      // The pool's one connection was closed, not handed out again with a statement pending: a new one answers.
      expect(await db.query('select 2 as two')).toEqual([{ two: 2 }]);

      // In a transaction too, without waiting as long again for a rollback the server would not answer either.
      proxy.mute();
      const inTransaction = performance.now();
      await expect(db.transaction((tx) => tx.query('select 3'))).rejects.toThrow(waited);
      expect(performance.now() - inTransaction).toBeLessThan(2 * (statementTimeoutMs + ANSWER_GRACE_MS));
      proxy.unmute();
      expect(await db.transaction((tx) => tx.query('select 4 as four'))).toEqual([{ four: 4 }]);
    } finally {
      await db.close();
      await proxy.close();
      await dropSchema(databaseUrl ?? '', schema);
    }
  });

  it.skipIf(!databaseUrl)('lets PostgreSQL cancel a statement running past DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    const schema = `unavailable_${randomBytes(4).toString('hex')}`;
    const db = await openDatabase({ databaseUrl, dataDir: 'memory://', schema, connections: 1, statementTimeoutMs: 1000 });
    try {
      const cancelled = await db.query('select pg_sleep(3)').then(() => undefined, (error: StoreError) => error);
      expect(cancelled).toBeInstanceOf(StoreError);
      expect(cancelled).toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' });
      expect(await db.query('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await dropSchema(databaseUrl ?? '', schema);
    }
  });

  it.skipIf(!databaseUrl || !existsSync('/proc/net/tcp'))('probes its connections with TCP keep-alive once silent for 30 s, so that a vanished server host cannot hold a statement for ever', async () => {
    const schema = `unavailable_${randomBytes(4).toString('hex')}`;
    const db = await openDatabase({ databaseUrl, dataDir: 'memory://', schema });
    try {
      // The server's view of this connection's port is the local port of the pool's socket (no address translation here).
      const [connection] = await db.query<{ port: number }>('select inet_client_port() as port');
      const { remotePort, timer, secondsToNext } = tcpSocketOf(connection?.port ?? 0);
      expect(remotePort).toBe(Number(new URL(databaseUrl ?? '').port || 5432));
      // Linux lists a socket's keep-alive timer as timer kind 2; a socket without keep-alive, idle, has none (0).
      expect(timer).toBe(2);
      expect(secondsToNext).toBeGreaterThan(20);
      expect(secondsToNext).toBeLessThanOrEqual(30);
    } finally {
      await db.close();
      await dropSchema(databaseUrl ?? '', schema);
    }
  });

  it.skipIf(!databaseUrl)('says the server has no such database, or no such user (DATABASE_URL)', async () => {
    const noDatabase = new URL(databaseUrl ?? '');
    noDatabase.pathname = `/no_such_db_${randomBytes(4).toString('hex')}`;
    expect((await refusalOf(noDatabase.href)).message).toMatch(/: the server has no such database: check DATABASE_URL/);
    const noUser = new URL(databaseUrl ?? '');
    noUser.username = `no_such_user_${randomBytes(4).toString('hex')}`;
    noUser.password = PASSWORD;
    expect((await refusalOf(noUser.href)).message).toMatch(/: the server refuses the user \(unknown, or not allowed from this host\): check DATABASE_URL/);
  });
});
