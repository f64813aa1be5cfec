import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PostgresGate } from './postgresGate';

/** A protocol 3.0 startup message with these parameters. */
function startup(params: [string, string][], code = 196608): Buffer {
  const body = Buffer.from(
    `${params.map(([k, v]) => `${k}\0${v}\0`).join('')}\0`,
  );
  const head = Buffer.alloc(8);
  head.writeInt32BE(body.length + 8, 0);
  head.writeInt32BE(code, 4);
  return Buffer.concat([head, body]);
}

function raw(length: number, code: number, rest = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(length, 0);
  head.writeInt32BE(code, 4);
  return Buffer.concat([head, rest]);
}

const USER = 'gp_atlas_dev_test_0a1b2c3d4e5f';
const ok: [string, string][] = [
  ['user', USER],
  ['database', USER],
];

describe('PostgresGate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-gate-'));
  const socketPath = path.join(dir, '.s.PGSQL.5432');
  // The upstream side is a plain listener that records what reaches it: the
  // gate's own logic is under test here (devDatabase.test.ts relays to the real server).
  const reached: Buffer[] = [];
  const upstream = net.createServer(s =>
    s.on('data', (d: Buffer) => reached.push(d)),
  );
  let gate: PostgresGate;

  beforeAll(async () => {
    await new Promise<void>(resolve =>
      upstream.listen(0, '127.0.0.1', resolve),
    );
    const { port } = upstream.address() as net.AddressInfo;
    gate = new PostgresGate({
      upstream: new URL(`postgres://admin@127.0.0.1:${port}/postgres`),
      user: USER,
      database: USER,
    });
    await gate.listen(socketPath);
  });
  afterAll(async () => {
    await gate.close();
    upstream.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    reached.length = 0;
  });

  /** Sends bytes; resolves what came back before the gate closed or went quiet. */
  function exchange(bytes: Buffer): Promise<Buffer> {
    return new Promise(resolve => {
      const c = net.connect(socketPath);
      const got: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        c.destroy();
        resolve(Buffer.concat(got));
      };
      timer = setTimeout(done, 500);
      c.on('data', (d: Buffer) => got.push(d));
      c.on('close', done);
      c.on('error', done);
      c.write(bytes);
    });
  }

  it('relays the allowed role to the allowed database, startup message unchanged', async () => {
    const message = startup([
      ...ok,
      ['application_name', 'atlas'],
      ['client_encoding', 'UTF8'],
    ]);
    await exchange(message);
    expect(Buffer.concat(reached)).toEqual(message);
  });

  it('declines TLS and then relays the startup that follows', async () => {
    const reply = await exchange(
      Buffer.concat([raw(8, 80877103), startup(ok)]),
    );
    expect(reply.subarray(0, 1).toString()).toBe('N');
    expect(Buffer.concat(reached)).toEqual(startup(ok));
  });

  describe('bad input: hostile startup messages to the dev database gate', () => {
    it.each<[string, Buffer, RegExp]>([
      [
        'the server superuser',
        startup([
          ['user', 'postgres'],
          ['database', USER],
        ]),
        /only role .* may connect here/,
      ],
      [
        'the role in another case',
        startup([
          ['user', USER.toUpperCase()],
          ['database', USER],
        ]),
        /only role/,
      ],
      [
        'another database',
        startup([
          ['user', USER],
          ['database', 'postgres'],
        ]),
        /only database .* may be used here/,
      ],
      [
        'no database (defaults to the user name, so allowed only for that)',
        startup([['user', 'postgres']]),
        /only role/,
      ],
      [
        'a template database',
        startup([
          ['user', USER],
          ['database', 'template1'],
        ]),
        /only database/,
      ],
      [
        'command-line options',
        startup([...ok, ['options', '-c role=postgres']]),
        /"options" is not allowed/,
      ],
      [
        'a replication connection',
        startup([...ok, ['replication', 'database']]),
        /"replication" is not allowed/,
      ],
      [
        'a preload library',
        startup([...ok, ['local_preload_libraries', 'evil']]),
        /"local_preload_libraries" is not allowed/,
      ],
      [
        'a session role',
        startup([...ok, ['role', 'postgres']]),
        /"role" is not allowed/,
      ],
      [
        'the user given twice',
        startup([
          ['user', USER],
          ['database', USER],
          ['user', 'postgres'],
        ]),
        /malformed startup message/,
      ],
      [
        'a missing terminator',
        raw(8 + 5, 196608, Buffer.from('user\0')),
        /malformed startup message/,
      ],
      [
        'a length over the limit',
        raw(1 << 20, 196608),
        /not a PostgreSQL startup message/,
      ],
      [
        'a negative length',
        raw(-8, 196608),
        /not a PostgreSQL startup message/,
      ],
      [
        'a length shorter than its header',
        raw(4, 196608),
        /not a PostgreSQL startup message/,
      ],
      [
        'protocol 2',
        startup(ok, 0x00020000),
        /protocol version 2\.0 is not supported/,
      ],
      [
        'an unknown protocol code',
        startup(ok, 0x12345678),
        /protocol version .* is not supported/,
      ],
      [
        'an HTTP request',
        Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
        /not a PostgreSQL startup message/,
      ],
    ])('refuses %s and forwards nothing', async (_what, bytes, message) => {
      const reply = await exchange(bytes);
      expect(reply[0]).toBe('E'.charCodeAt(0));
      expect(reply.toString('utf8')).toMatch(message);
      expect(reply.toString('utf8')).toContain('C28000');
      expect(reached).toHaveLength(0);
    });

    it('closes a cancel request for a backend it did not open, forwarding nothing', async () => {
      const reply = await exchange(raw(16, 80877102, Buffer.alloc(8)));
      expect(reply).toHaveLength(0);
      expect(reached).toHaveLength(0);
    });
  });
});
