import { ResponseError } from '@backstage/errors';
import { GoldenPathFleetClient } from './GoldenPathFleetClient';

function clientWith(response: () => Response) {
  const fetch = jest.fn(async (_input: RequestInfo | URL) => response());
  const client = new GoldenPathFleetClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://backend.test/api/${pluginId}`,
    },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Bad Request',
    headers: { 'content-type': 'application/json' },
  });

const EMPTY = {
  generatedAt: '2026-12-04T10:00:00.000Z',
  total: 0,
  pending: 0,
  environments: [],
  items: [],
};

describe('GoldenPathFleetClient', () => {
  it('reads the fleet, with the filters as query parameters', async () => {
    const { client, fetch } = clientWith(() => json(200, EMPTY));
    expect(await client.getFleet()).toEqual(EMPTY);
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend.test/api/golden-path/fleet',
    );
    await client.getFleet({
      team: 'group:default/a&b',
      system: 'system:default/shop',
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend.test/api/golden-path/fleet?team=group%3Adefault%2Fa%26b&system=system%3Adefault%2Fshop',
    );
  });

  it("rejects with the backend's message", async () => {
    const { client } = clientWith(() =>
      json(400, {
        error: {
          name: 'InputError',
          message: 'team: give one group reference',
        },
        request: { method: 'GET', url: '/fleet' },
        response: { statusCode: 400 },
      }),
    );
    const error = await client.getFleet({ team: 'x' }).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('team: give one group reference');
  });
});
