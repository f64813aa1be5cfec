import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ONBOARDING_TEMPLATE_REF, readOnboardingRuns } from './onboardingRuns';

/** A scaffolder on loopback that lists one failed run and sends `[` of its log, then nothing. */
async function stallingScaffolder() {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.startsWith('/api/scaffolder/v2/tasks?')) {
      res.end(
        JSON.stringify({
          tasks: [
            {
              id: 'task-1',
              status: 'failed',
              createdAt: new Date().toISOString(),
              spec: {
                templateInfo: { entityRef: ONBOARDING_TEMPLATE_REF },
                parameters: { teamName: 'payments' },
              },
            },
          ],
        }),
      );
      return;
    }
    res.write('[');
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
      }),
  };
}

describe('bad input: a scaffolder that stalls', () => {
  it('fails the read in one line within the time limit, its requests closed', async () => {
    const scaffolder = await stallingScaffolder();
    try {
      const started = Date.now();
      await expect(
        readOnboardingRuns({
          discovery: mockServices.discovery.mock({
            getBaseUrl: async () => scaffolder.baseUrl,
          }),
          auth: mockServices.auth(),
          credentials: mockCredentials.user(),
          teamName: 'payments',
          timeoutMs: 500,
        }),
      ).rejects.toThrow(
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
