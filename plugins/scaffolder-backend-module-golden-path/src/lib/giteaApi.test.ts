import http from 'node:http';
import { AddressInfo } from 'node:net';
import { giteaApi, MAX_GITEA_RESPONSE_BYTES } from './giteaApi';

/** A real HTTP server standing in for Gitea; `handler` answers every request. */
async function server(handler: http.RequestListener) {
  const s = http.createServer(handler);
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(r => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

describe('giteaApi', () => {
  it("parses Gitea's JSON answers and its refusals' messages", async () => {
    const gitea = await server((req, res) => {
      res.writeHead(req.url === '/api/v1/user' ? 200 : 404, {
        'Content-Type': 'application/json',
      });
      res.end(
        req.url === '/api/v1/user'
          ? JSON.stringify({ login: 'bot' })
          : JSON.stringify({ message: 'repository does not exist' }),
      );
    });
    try {
      const api = giteaApi({
        host: 'gitea.local',
        baseUrl: gitea.baseUrl,
        password: 'token-1',
      });
      await expect(api.call('GET', '/user')).resolves.toMatchObject({
        ok: true,
        body: { login: 'bot' },
      });
      await expect(api.call('GET', '/repos/o/r')).resolves.toMatchObject({
        ok: false,
        message: '404 repository does not exist',
      });
    } finally {
      await gitea.close();
    }
  });

  it('refuses an answer larger than the bound instead of buffering it, with or without a Content-Length', async () => {
    const big = Buffer.alloc(MAX_GITEA_RESPONSE_BYTES + 1, 'a');
    const gitea = await server((req, res) => {
      if (req.url === '/api/v1/chunked') {
        res.writeHead(200);
        // No Content-Length: streamed until the client gives up.
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = () => {
          while (res.write(chunk));
          res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
        return;
      }
      res.writeHead(200, { 'Content-Length': String(big.length) });
      res.end(big);
    });
    try {
      const api = giteaApi({
        host: 'gitea.local',
        baseUrl: gitea.baseUrl,
        password: 'token-1',
      });
      for (const p of ['/user', '/chunked'])
        await expect(api.call('GET', p)).rejects.toThrow(
          `Gitea at ${gitea.baseUrl} answered GET ${p} with more than 4 MiB; refusing to read it: check integrations.gitea baseUrl`,
        );
    } finally {
      await gitea.close();
    }
  });
});
