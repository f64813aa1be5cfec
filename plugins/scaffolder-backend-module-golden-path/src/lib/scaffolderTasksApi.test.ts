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

  /** The client on a server dropping its first `drops` requests, closed after `use`. */
  async function withFlakyServer(
    drops: number,
    use: (
      api: ReturnType<typeof scaffolderTasksApi>,
      seen: string[],
    ) => Promise<void>,
    options: Partial<Parameters<typeof scaffolderTasksApi>[0]> = {},
  ) {
    const s = await flakyServer(drops);
    try {
      const api = scaffolderTasksApi({
        baseUrl: s.baseUrl,
        token: 't',
        logger,
        retryDelayMs: () => 10,
        ...options,
      });
      await use(api, s.seen);
    } finally {
      s.server.close();
    }
  }

  it('reads again after a dropped connection, saying so in the log', () =>
    withFlakyServer(2, async (api, seen) => {
      await expect(api.get('/v2/tasks/t1')).resolves.toEqual({
        id: 't1',
        status: 'processing',
      });
      expect(seen).toEqual(Array(3).fill('GET /v2/tasks/t1'));
      expect(logger.warn).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^scaffolder GET \/v2\/tasks\/t1: fetch failed \(.+\); trying again \(2 of 5\)$/,
        ),
      );
    }));

  it('gives up on a read after five tries, naming the cause', () =>
    withFlakyServer(100, async (api, seen) => {
      await expect(api.get('/v2/tasks/t1')).rejects.toThrow(
        /^scaffolder GET \/v2\/tasks\/t1: fetch failed \(.+\)$/,
      );
      expect(seen).toHaveLength(5);
    }));

  it('sends a POST once: sent again it could start a second task', () =>
    withFlakyServer(1, async (api, seen) => {
      await expect(api.post('/v2/tasks', { templateRef: 'x' })).rejects.toThrow(
        /^scaffolder POST \/v2\/tasks: fetch failed \(.+\)$/,
      );
      expect(seen).toEqual(['POST /v2/tasks']);
      expect(logger.warn).not.toHaveBeenCalled();
    }));

  it('does not try again once the task is cancelled', () => {
    const cancel = new AbortController();
    return withFlakyServer(
      100,
      async (api, seen) => {
        await expect(api.get('/v2/tasks/t1')).rejects.toThrow();
        expect(seen).toHaveLength(1);
      },
      {
        signal: cancel.signal,
        retryDelayMs: () => {
          cancel.abort();
          return 10;
        },
      },
    );
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
