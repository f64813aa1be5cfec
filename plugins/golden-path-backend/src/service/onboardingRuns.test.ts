import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ONBOARDING_TEMPLATE_REF, readOnboardingRuns } from './onboardingRuns';

/**
 * A scaffolder on loopback that lists one failed run of team payments per
 * key of `logs` and answers each run's event log with its handler (by
 * default `[`, then nothing).
 */
async function loopbackScaffolder(
  logs: Record<string, (res: http.ServerResponse) => void> = {
    'task-1': res => res.write('['),
  },
) {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.startsWith('/api/scaffolder/v2/tasks?')) {
      res.end(
        JSON.stringify({
          tasks: Object.keys(logs).map(id => ({
            id,
            status: 'failed',
            createdAt: new Date().toISOString(),
            spec: {
              templateInfo: { entityRef: ONBOARDING_TEMPLATE_REF },
              parameters: { teamName: 'payments' },
            },
          })),
        }),
      );
      return;
    }
    const id = /\/v2\/tasks\/([^/]+)\/events$/.exec(req.url ?? '')?.[1];
    logs[decodeURIComponent(id ?? '')]?.(res);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/scaffolder`,
    open,
    close: () =>
      new Promise<void>(r => {
        for (const res of open) res.destroy();
        server.close(() => r());
        // fetch's idle keep-alive sockets would hold close() for seconds
        server.closeAllConnections();
      }),
  };
}

const readFrom = (baseUrl: string, timeoutMs?: number) =>
  readOnboardingRuns({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => baseUrl,
    }),
    auth: mockServices.auth(),
    credentials: mockCredentials.user(),
    teamName: 'payments',
    timeoutMs,
  });

describe('bad input: a scaffolder that stalls', () => {
  it('fails the read in one line within the time limit, its requests closed', async () => {
    const scaffolder = await loopbackScaffolder();
    try {
      const started = Date.now();
      await expect(readFrom(scaffolder.baseUrl, 500)).rejects.toThrow(
        'the scaffolder did not answer the onboarding runs of team payments within 500 ms',
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      // the stalled log's request was aborted, not left open
      await new Promise(r => setTimeout(r, 100));
      expect(scaffolder.open.size).toBe(0);
    } finally {
      await scaffolder.close();
    }
  });
});

describe('bad input: event logs that are no complete array', () => {
  it('says a log that ended before its array did was not read in full', async () => {
    const scaffolder = await loopbackScaffolder({
      'task-1': res =>
        res.end(
          '[{"type":"log","body":{"stepId":"fetch","status":"failed","message":"Error: broke"}}',
        ),
    });
    try {
      const [run] = await readFrom(scaffolder.baseUrl);
      expect(run.message).toBe(
        `The onboarding run of payments failed at "fetch": broke. Nothing was published; fix the cause and run the template again. The scaffolder's answer ended before the end of its event log; open the task in the scaffolder for the rest.`,
      );
    } finally {
      await scaffolder.close();
    }
  });

  it('stops reading the other logs when one fails the answer', async () => {
    let stalled: () => void;
    const stalledOpen = new Promise<void>(r => (stalled = r));
    const scaffolder = await loopbackScaffolder({
      'task-1': res => {
        res.write('[');
        stalled();
      },
      // refused only once the other log is being read
      'task-2': res => {
        stalledOpen.then(() => res.end('{"error":{"message":"no"}}'));
      },
    });
    try {
      await expect(readFrom(scaffolder.baseUrl, 10_000)).rejects.toThrow(
        "the scaffolder's events of task task-2 are not a JSON array",
      );
      await new Promise(r => setTimeout(r, 200));
      expect(scaffolder.open.size).toBe(0);
    } finally {
      await scaffolder.close();
    }
  });
});
