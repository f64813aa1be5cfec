import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { fetchFailure, scaffolderTasksApi } from './scaffolderTasksApi';

/** A task API whose first `drops` requests lose their connection before any answer. */
async function flakyServer(drops: number) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (seen.length <= drops) {
      req.socket.destroy();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ id: 't1', status: 'processing' }));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, seen, server };
}

describe('scaffolderTasksApi', () => {
  const logger = mockServices.logger.mock();
  afterEach(() => jest.clearAllMocks());

  it('reads again after a dropped connection, saying so in the log', async () => {
    const s = await flakyServer(2);
    try {
      const api = scaffolderTasksApi({
        baseUrl: s.baseUrl,
        token: 't',
        logger,
        retryDelayMs: () => 10,
      });
      await expect(api.get('/v2/tasks/t1')).resolves.toEqual({
        id: 't1',
        status: 'processing',
      });
      expect(s.seen).toEqual(Array(3).fill('GET /v2/tasks/t1'));
      expect(logger.warn).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^scaffolder GET \/v2\/tasks\/t1: fetch failed \(.+\); trying again \(2 of 5\)$/,
        ),
      );
    } finally {
      s.server.close();
    }
  });

  it('gives up on a read after five tries, naming the cause', async () => {
    const s = await flakyServer(100);
    try {
      const api = scaffolderTasksApi({
        baseUrl: s.baseUrl,
        token: 't',
        logger,
        retryDelayMs: () => 10,
      });
      await expect(api.get('/v2/tasks/t1')).rejects.toThrow(
        /^scaffolder GET \/v2\/tasks\/t1: fetch failed \(.+\)$/,
      );
      expect(s.seen).toHaveLength(5);
    } finally {
      s.server.close();
    }
  });

  it('sends a POST once: sent again it could start a second task', async () => {
    const s = await flakyServer(1);
    try {
      const api = scaffolderTasksApi({
        baseUrl: s.baseUrl,
        token: 't',
        logger,
        retryDelayMs: () => 10,
      });
      await expect(api.post('/v2/tasks', { templateRef: 'x' })).rejects.toThrow(
        /^scaffolder POST \/v2\/tasks: fetch failed \(.+\)$/,
      );
      expect(s.seen).toEqual(['POST /v2/tasks']);
      expect(logger.warn).not.toHaveBeenCalled();
    } finally {
      s.server.close();
    }
  });

  it('does not try again once the task is cancelled', async () => {
    const s = await flakyServer(100);
    const cancel = new AbortController();
    try {
      const api = scaffolderTasksApi({
        baseUrl: s.baseUrl,
        token: 't',
        signal: cancel.signal,
        logger,
        retryDelayMs: () => {
          cancel.abort();
          return 10;
        },
      });
      await expect(api.get('/v2/tasks/t1')).rejects.toThrow();
      expect(s.seen).toHaveLength(1);
    } finally {
      s.server.close();
    }
  });

  it('names the cause of a network error', () => {
    const e = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
      }),
    });
    expect(fetchFailure(e)).toBe('fetch failed (ECONNREFUSED)');
    expect(fetchFailure(new Error('plain'))).toBe('plain');
  });
});
