import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import fs from 'node:fs';
import type { Server } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  copyRenderedService,
  FIXTURE_VALUES,
  PROTO_DIR,
  SERVICE_DIR,
  serviceEntity,
} from './__fixtures__/renderedService';
import { goldenPathPlugin } from './plugin';

/*
 * Bad input through the whole plugin on a test backend, each case a broken
 * copy of the service the Go service template rendered: an unparsable proto,
 * a binary file, a 10 MB proto, symlink loops, 30,000 files, and a migration
 * environment whose "database" (a local TCP server) accepts connections and
 * never answers. Each answers 200 with a specific message where the UI shows
 * it, and while each request is in flight the backend keeps answering: its
 * health check and another service's (cached) insights, probed every 20 ms.
 */
const USER = mockCredentials.user.header('user:default/alice');
const CONNECT_TIMEOUT_MS = 1000;

describe('golden-path insights on bad input', () => {
  let tmp: string;
  let server: Server;
  let stop: () => Promise<void>;
  let hanging: net.Server;
  const hangingSockets = new Set<net.Socket>();
  let accepted = 0;
  const entities: Entity[] = [];

  /** A broken copy of the rendered service, registered as `name`. */
  function variant(name: string, breakIt: (root: string) => void) {
    const root = copyRenderedService(path.join(tmp, name));
    breakIt(root);
    entities.push(serviceEntity(root, name));
  }
  const inService = (root: string, rel: string) =>
    path.join(root, SERVICE_DIR, rel);
  const apiProto = (root: string) =>
    path.join(root, PROTO_DIR, 'v1', `${FIXTURE_VALUES.name}_service.proto`);

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bad-input-'));
    variant('probe', () => {});
    variant('bad-proto', root => {
      const file = apiProto(root);
      // a parenthesis missing after the first RPC's request type
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, 'utf8')
          .replace(/rpc (Create\w+)\((\w+)\)/, 'rpc $1($2'),
      );
    });
    variant('bad-binary', root => {
      fs.writeFileSync(
        inService(root, 'internal/domain/entity/logo.go'),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]),
      );
    });
    variant('bad-huge-proto', root => {
      const line = '// padding\n';
      fs.writeFileSync(
        path.join(root, PROTO_DIR, 'v1', 'huge.proto'),
        `syntax = "proto3";\n${line.repeat((10 * 1024 * 1024) / line.length)}`,
      );
    });
    variant('bad-loop', root => {
      // a directory linking to the one holding it, and two files linking to each other
      fs.symlinkSync(
        inService(root, 'internal/domain'),
        inService(root, 'internal/domain/self'),
      );
      const a = inService(root, 'internal/domain/entity/a.go');
      const b = inService(root, 'internal/domain/entity/b.go');
      fs.symlinkSync(b, a);
      fs.symlinkSync(a, b);
    });
    variant('bad-many', root => {
      const dir = inService(root, 'internal/domain/valueobject/bulk');
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 30_000; i++)
        fs.writeFileSync(
          path.join(dir, `v${i}.go`),
          `package bulk\n\n// V${i} is one of many.\ntype V${i} struct{}\n`,
        );
    });
    variant('hanging-db', () => {});

    hanging = net.createServer(socket => {
      accepted++;
      hangingSockets.add(socket); // accepted, never answered
      socket.on('close', () => hangingSockets.delete(socket));
    });
    await new Promise<void>(r => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as net.AddressInfo).port;

    const backend = await startTestBackend({
      features: [
        goldenPathPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            goldenPath: {
              insights: {
                cacheTtl: '10m',
                localRoots: [tmp],
                migrations: {
                  timeouts: {
                    connect: `${CONNECT_TIMEOUT_MS}ms`,
                    statement: '1s',
                    lock: '500ms',
                  },
                  environments: [
                    {
                      name: 'hanging',
                      url: `postgres://reader@127.0.0.1:${port}/ledger_db?sslmode=disable`,
                      entityFilter: ['component:default/hanging-db'],
                    },
                  ],
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    // the probe's insights are cached from here on
    const warm = await insights('probe');
    if (warm.status !== 200)
      throw new Error(`probe insights: HTTP ${warm.status} ${warm.text}`);
  }, 120_000);

  afterAll(async () => {
    await stop?.();
    for (const s of hangingSockets) s.destroy();
    await new Promise(r => hanging?.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function insights(name: string) {
    return request(server)
      .get(`/api/golden-path/entities/component/default/${name}/insights`)
      .set('Authorization', USER);
  }

  /**
   * Requests `name`'s insights and, until they arrive, alternately the health
   * check and the probe service's insights; returns the slowest probe.
   */
  async function whileInFlight(name: string) {
    let done = false;
    const started = Date.now();
    const slow = insights(name).then(res => {
      done = true;
      return res;
    });
    const latencies: number[] = [];
    for (let i = 0; !done; i++) {
      const t = Date.now();
      const probe =
        i % 2 === 0
          ? await request(server).get('/.backstage/health/v1/liveness')
          : await insights('probe');
      expect(probe.status).toBe(200);
      latencies.push(Date.now() - t);
      await new Promise(r => setTimeout(r, 20));
    }
    const res = await slow;
    expect(res.status).toBe(200);
    return {
      body: res.body as GoServiceInsights,
      ms: Date.now() - started,
      probes: latencies.length,
      worstProbeMs: Math.max(0, ...latencies),
    };
  }

  it('an unparsable proto: the file, line and column of the error; the rest analysed', async () => {
    const { body, worstProbeMs } = await whileInFlight('bad-proto');
    const file = body.protos.files.find(f =>
      f.path.endsWith(`${FIXTURE_VALUES.name}_service.proto`),
    )!;
    expect(file.parseError).toMatchObject({
      message: expect.stringMatching(/expected "\)"/),
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(file.problems).toEqual([
      expect.objectContaining({ code: 'proto-syntax-error', path: file.path }),
    ]);
    expect(body.layers.packages.length).toBeGreaterThan(5);
    expect(worstProbeMs).toBeLessThan(1000);
  });

  it('a binary file: named as binary and skipped; the rest analysed', async () => {
    const { body, worstProbeMs } = await whileInFlight('bad-binary');
    expect(body.source.problems).toEqual([
      {
        severity: 'warning',
        code: 'binary-file',
        message:
          'binary content (a NUL byte in the first 8000 bytes), not source text; not analysed',
        path: `${SERVICE_DIR}/internal/domain/entity/logo.go`,
      },
    ]);
    expect(body.layers.violations).toEqual([]);
    expect(worstProbeMs).toBeLessThan(1000);
  });

  it('a 10 MB proto: refused by size before it is read, quickly', async () => {
    const { body, ms, worstProbeMs } = await whileInFlight('bad-huge-proto');
    expect(body.source.problems).toEqual([
      expect.objectContaining({
        code: 'file-too-large',
        message:
          '10 MiB, over the limit of 1 MiB per file (goldenPath.insights.limits.maxFileBytes); not analysed',
        path: `${PROTO_DIR}/v1/huge.proto`,
      }),
    ]);
    expect(body.protos.files.map(f => f.path)).not.toContain(
      `${PROTO_DIR}/v1/huge.proto`,
    );
    expect(ms).toBeLessThan(3000);
    expect(worstProbeMs).toBeLessThan(1000);
  });

  it('symlink loops: each link named, none followed twice', async () => {
    const { body, worstProbeMs } = await whileInFlight('bad-loop');
    const entity = `${SERVICE_DIR}/internal/domain/entity`;
    expect(
      body.source.problems.map(p => `${p.code} ${p.path}: ${p.message}`).sort(),
    ).toEqual([
      `symlink-loop ${entity}/a.go: symlink loop: the link resolves through links back to itself; not followed`,
      `symlink-loop ${entity}/b.go: symlink loop: the link resolves through links back to itself; not followed`,
      `symlink-loop ${SERVICE_DIR}/internal/domain/self: symlink loop: leads back to ${SERVICE_DIR}/internal/domain, which contains it; not followed`,
    ]);
    expect(worstProbeMs).toBeLessThan(1000);
  });

  it('30,000 files: reading stops at the file limit and says so, while the backend keeps answering', async () => {
    const { body, ms, probes, worstProbeMs } = await whileInFlight('bad-many');
    expect(body.source.fileCount).toBe(20_000);
    expect(body.source.problems).toEqual([
      expect.objectContaining({
        code: 'tree-too-many-files',
        message:
          'reading stopped at 20000 files (goldenPath.insights.limits.maxFiles): the service has more, and the analysis covers only the first 20000',
      }),
    ]);
    // a slow request, and many prompt answers meanwhile
    expect(ms).toBeGreaterThan(500);
    expect(probes).toBeGreaterThanOrEqual(5);
    expect(worstProbeMs).toBeLessThan(1000);
  }, 180_000); // 30,000 files written and read: over a minute on a loaded 2-core machine

  it('a database that accepts connections and never answers: an error after the connect timeout, the backend answering meanwhile', async () => {
    const { body, ms, probes, worstProbeMs } = await whileInFlight(
      'hanging-db',
    );
    expect(body.migrations.environments).toEqual([
      expect.objectContaining({
        name: 'hanging',
        status: 'error',
        message:
          'cannot connect: timed out after 1 s without an answer from the database (goldenPath.insights.migrations.timeouts.connect); is it up, and is it a PostgreSQL server?',
        versions: [],
      }),
    ]);
    expect(accepted).toBeGreaterThanOrEqual(1); // it did connect, then waited
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    // the request also analyses the service from scratch: 4.8 s in all on a
    // loaded 2-core machine; a connect that never timed out would hang
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + 5000);
    expect(probes).toBeGreaterThanOrEqual(5);
    expect(worstProbeMs).toBeLessThan(1000);
    // the static analysis is unaffected
    expect(body.migrations.sum.status).toBe('ok');
  });
});
