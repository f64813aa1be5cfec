import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type express from 'express';
import type { Server } from 'node:http';
import Router from 'express-promise-router';
import request from 'supertest';
import { goldenPathPlugin } from './plugin';

/*
 * The onboarding route on a test backend, for what the Golden Path page must
 * explain: a catalog that is down (a 500 carrying the catalog's message), a
 * team the caller may not see (its first step open, saying so), and a
 * scaffolder that refuses to list runs (the steps still come, with runsError).
 * A stand-in scaffolder plugin answers the task list; the real one is
 * exercised by e2e/onboard-team.test.mjs.
 */
const ALICE = 'user:default/alice';
const TEAM = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-x', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

/** A failed run of the onboarding template for team-x. */
const TASK = {
  id: 'task-1',
  status: 'failed',
  createdAt: '2025-01-01T00:00:00Z',
  spec: {
    templateInfo: { entityRef: 'template:default/onboard-team' },
    parameters: { teamName: 'team-x', publishTo: 'local', localPath: 'x' },
    steps: [
      { id: 'fetch', name: 'Fetch the skeleton' },
      { id: 'publish-local', name: 'Publish' },
    ],
  },
};

/**
 * The event log of TASK as the scaffolder streams it: `lines` log lines of
 * `lineBytes` each (endless when Infinity), the step statuses, and the
 * failure (a message of `failureBytes`) last. `written` counts the bytes sent.
 */
interface EventLog {
  lines: number;
  lineBytes: number;
  failureBytes: number;
  written: number;
  closed: boolean;
}

function streamEvents(log: EventLog, res: express.Response) {
  const event = (body: object) =>
    JSON.stringify({ id: 1, taskId: TASK.id, type: 'log', body });
  function* parts() {
    yield `[${event({
      message: 'Beginning step Fetch',
      stepId: 'fetch',
      status: 'processing',
    })}`;
    const line = `,${event({
      message: 'x'.repeat(log.lineBytes),
      stepId: 'fetch',
    })}`;
    for (let i = 0; i < log.lines; i++) yield line;
    yield `,${event({
      message: `Error: the skeleton is broken\n${'at frame\n'.repeat(
        Math.floor(log.failureBytes / 10),
      )}`,
      stepId: 'fetch',
      status: 'failed',
    })}]`;
  }
  res.type('json');
  const it = parts();
  res.on('close', () => (log.closed = true));
  const pump = () => {
    for (;;) {
      if (log.closed) return;
      const next = it.next();
      if (next.done) {
        res.end();
        return;
      }
      log.written += Buffer.byteLength(next.value);
      if (!res.write(next.value)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

function scaffolderStandIn(status: number, log?: EventLog) {
  return createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = Router();
          router.get('/v2/tasks', (_req, res) => {
            if (status !== 200)
              res.status(status).json({ error: { message: 'no' } });
            else if (log) res.json({ tasks: [TASK], totalTasks: 1 });
            else res.json({ tasks: [], totalTasks: 0 });
          });
          router.get('/v2/tasks/:id/events', (_req, res) =>
            streamEvents(log!, res),
          );
          httpRouter.use(router);
        },
      });
    },
  });
}

async function start(options: {
  catalogDown?: boolean;
  scaffolderStatus?: number;
  eventLog?: EventLog;
}) {
  const catalog = catalogServiceMock.mock({
    getEntityByRef: async (_ref, opts) => {
      if (options.catalogDown)
        throw new Error('connect ECONNREFUSED 10.0.0.9:5432');
      const principal = (opts as any)?.credentials?.principal;
      return principal?.userEntityRef === ALICE ? (TEAM as any) : undefined;
    },
    getEntities: async () => ({ items: [] }),
  });
  const backend = await startTestBackend({
    features: [
      goldenPathPlugin,
      scaffolderStandIn(options.scaffolderStatus ?? 200, options.eventLog),
      catalog.factory,
      mockServices.rootConfig.factory({
        data: { goldenPath: { insights: { localRoots: [] } } },
      }),
    ],
  });
  return backend;
}

describe('GET /api/golden-path/onboarding/:namespace/:name', () => {
  let server: Server;
  let stop: () => Promise<void>;
  afterEach(async () => stop?.());

  const get = (user = ALICE) =>
    request(server)
      .get('/api/golden-path/onboarding/default/team-x')
      .set('Authorization', mockCredentials.user.header(user));

  it('a catalog that is down: 500 with the catalog’s message', async () => {
    ({ server, stop } = await start({ catalogDown: true }).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get();
    expect(res.status).toBe(500);
    expect(res.body.error.message).toBe('connect ECONNREFUSED 10.0.0.9:5432');
  });

  it('a team the caller may not see: only the first step is open, and it says why', async () => {
    ({ server, stop } = await start({}).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get('user:default/mallory');
    expect(res.status).toBe(200);
    expect(res.body.steps[0]).toMatchObject({
      id: 'team',
      status: 'open',
      message:
        'No Group group:default/team-x that you can see: create it with the onboarding template, or ask for access.',
    });
    expect(res.body.done).toBe(0);
  });

  it('a scaffolder that refuses the task list: the steps, and runsError naming the answer', async () => {
    ({ server, stop } = await start({ scaffolderStatus: 503 }).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body.steps[0].status).toBe('done');
    expect(res.body.runs).toBeUndefined();
    expect(res.body.runsError).toBe(
      'Failed or cancelled onboarding runs could not be read: the scaffolder answered 503 Service Unavailable for /v2/tasks',
    );
  });

  it('a scaffolder with no runs of this team: an empty list', async () => {
    ({ server, stop } = await start({ scaffolderStatus: 200 }).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body.runsError).toBeUndefined();
    expect(res.body.runs).toEqual([]);
  });

  describe('bad input: a failed run with a huge event log', () => {
    const log = (lines: number, lineBytes: number, failureBytes: number) => ({
      lines,
      lineBytes,
      failureBytes,
      written: 0,
      closed: false,
    });

    it('finds the failure line after megabytes of log lines (the control)', async () => {
      // 6 MiB of log lines and a failure of 1 MiB: under the 8 MiB read
      const eventLog = log(96, 64 * 1024, 1024 * 1024);
      ({ server, stop } = await start({ eventLog }).then(b => ({
        server: b.server,
        stop: () => b.stop(),
      })));
      const res = await get();
      expect(res.status).toBe(200);
      expect(res.body.runsError).toBeUndefined();
      expect(res.body.runs).toHaveLength(1);
      expect(res.body.runs[0].stoppedAt).toEqual({
        id: 'fetch',
        title: 'Fetch the skeleton',
        message: 'the skeleton is broken',
      });
      expect(res.body.runs[0].message).toBe(
        'The onboarding run of team-x failed at "Fetch the skeleton": the skeleton is broken. Nothing was published; fix the cause and run the template again.',
      );
      expect(eventLog.written).toBeGreaterThan(7 * 1024 * 1024);
      expect(JSON.stringify(res.body).length).toBeLessThan(8 * 1024);
    });

    it('reads an endless log only up to 8 MiB, stops it, and says so', async () => {
      const eventLog = log(Infinity, 64 * 1024, 0);
      ({ server, stop } = await start({ eventLog }).then(b => ({
        server: b.server,
        stop: () => b.stop(),
      })));
      const res = await get();
      expect(res.status).toBe(200);
      expect(res.body.runs[0].message).toBe(
        'The onboarding run of team-x failed. Nothing was published; fix the cause and run the template again. Only the first 8 MiB of its event log were read; open the task in the scaffolder for the rest.',
      );
      expect(JSON.stringify(res.body).length).toBeLessThan(8 * 1024);
      // the stand-in was stopped: what it sent is the limit and the sockets'
      // buffers (loopback TCP buffers grow to several MiB on a busy machine:
      // 12.3 MiB seen in a full test run; an endless log has no bound at all)
      await new Promise(r => setTimeout(r, 100));
      expect(eventLog.closed).toBe(true);
      expect(eventLog.written).toBeLessThan(8 * 1024 * 1024 + 16 * 1024 * 1024);
    });
  });
});
