import net from 'node:net';

/** Startup codes of the PostgreSQL protocol (first message of a connection). */
const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** A startup message is small; anything larger is not a PostgreSQL client. */
const MAX_STARTUP = 10_000;
const MAX_CONNECTIONS = 20;

/**
 * Startup parameters a client may send: the connection's own settings. Any
 * other (`options`, `replication`, a GUC such as `local_preload_libraries`)
 * is refused.
 */
const ALLOWED_PARAMS = new Set([
  'user',
  'database',
  'application_name',
  'client_encoding',
  'datestyle',
  'timezone',
  'extra_float_digits',
  'search_path',
  'intervalstyle',
  'standard_conforming_strings',
]);

/** Options of {@link PostgresGate}. */
export interface PostgresGateOptions {
  /** The real server (a postgres:// URL; its host and port only). */
  upstream: URL;
  /** The only role let through. */
  user: string;
  /** The only database let through. */
  database: string;
}

/** The ErrorResponse a refused client gets (severity FATAL, SQLSTATE 28000). */
function errorResponse(message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('SFATAL\0VFATAL\0C28000\0'),
    Buffer.from(`M${message.replace(/\0/g, '')}\0`),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head[0] = 'E'.charCodeAt(0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

/** The parameters of a protocol 3 startup message (after length and code). */
function startupParams(body: Buffer): Map<string, string> | undefined {
  const params = new Map<string, string>();
  const parts = body.toString('utf8').split('\0');
  // key, value, key, value, ..., '' (terminator), '' (split artefact)
  if (
    parts.length < 2 ||
    parts[parts.length - 1] !== '' ||
    parts[parts.length - 2] !== ''
  )
    return undefined;
  const pairs = parts.slice(0, -2);
  if (pairs.length % 2) return undefined;
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i].toLowerCase();
    if (params.has(key)) return undefined;
    params.set(key, pairs[i + 1]);
  }
  return params;
}

/**
 * A Unix socket in front of PostgreSQL that lets exactly one role into
 * exactly one database: it reads each client's startup message, refuses any
 * other user, database or startup parameter, TLS and GSS negotiation are
 * declined (the socket is local), and then relays the connection unchanged
 * (authentication included) to the real server. A sandboxed tool, which has
 * no network, reaches the Atlas dev database only through it: even where
 * the server trusts local connections, the tool cannot log in as anyone
 * else or reach another database.
 */
export class PostgresGate {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly options: PostgresGateOptions) {}

  /** Starts listening on the Unix socket `socketPath`. */
  listen(socketPath: string): Promise<void> {
    const server = net.createServer(client => this.accept(client));
    server.maxConnections = MAX_CONNECTIONS;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops listening and ends every relayed connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server)
      await new Promise<void>(resolve => server.close(() => resolve()));
  }

  private track(s: net.Socket) {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }

  private accept(client: net.Socket) {
    this.track(client);
    let pending = Buffer.alloc(0);
    const refuse = (message: string) => {
      client.end(errorResponse(`golden-path dev database gate: ${message}`));
    };
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const length = pending.readInt32BE(0);
        if (length < 8 || length > MAX_STARTUP) {
          client.off('data', onData);
          refuse('not a PostgreSQL startup message');
          return;
        }
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          // Declined: the client goes on in plain text over the local socket.
          client.write('N');
          pending = pending.subarray(length);
          continue;
        }
        client.off('data', onData);
        if (code === CANCEL_REQUEST) {
          client.destroy();
          return;
        }
        if (code !== PROTOCOL_3) {
          refuse(
            `protocol version ${code >> 16}.${code & 0xffff} is not supported`,
          );
          return;
        }
        const params = startupParams(pending.subarray(8, length));
        const refusal = this.check(params);
        if (refusal) {
          refuse(refusal);
          return;
        }
        this.relay(client, pending);
        return;
      }
    };
    client.on('data', onData);
  }

  /** Why a startup is refused, or undefined when it may go through. */
  private check(params: Map<string, string> | undefined): string | undefined {
    if (!params) return 'malformed startup message';
    for (const key of params.keys()) {
      if (!ALLOWED_PARAMS.has(key))
        return `startup parameter "${key}" is not allowed`;
    }
    if (params.get('user') !== this.options.user)
      return `only role ${this.options.user} may connect here`;
    // A missing database means the user's name, which is the database's.
    if (
      (params.get('database') ?? params.get('user')) !== this.options.database
    ) {
      return `only database ${this.options.database} may be used here`;
    }
    return undefined;
  }

  private relay(client: net.Socket, startup: Buffer) {
    const { upstream } = this.options;
    const socketHost = upstream.searchParams.get('host');
    const port = Number(
      upstream.port || upstream.searchParams.get('port') || 5432,
    );
    const server = socketHost?.startsWith('/')
      ? net.connect(`${socketHost}/.s.PGSQL.${port}`)
      : net.connect(
          port,
          decodeURIComponent(upstream.hostname || socketHost || 'localhost'),
        );
    this.track(server);
    server.write(startup);
    client.pipe(server);
    server.pipe(client);
    server.once('close', () => client.destroy());
    client.once('close', () => server.destroy());
  }
}
