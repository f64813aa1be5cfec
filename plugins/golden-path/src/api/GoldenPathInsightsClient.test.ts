import { ResponseError } from '@backstage/errors';
import { insightsFixture } from '../__fixtures__/insights';
import { GoldenPathInsightsClient } from './GoldenPathInsightsClient';

function clientWith(response: Response) {
  const fetch = jest.fn(async (_input: RequestInfo | URL) => response);
  const client = new GoldenPathInsightsClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://backend.test/api/${pluginId}`,
    },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'content-type': 'application/json' },
  });
}

describe('GoldenPathInsightsClient', () => {
  it('reads the insights of an entity from the golden-path backend', async () => {
    const { client, fetch } = clientWith(jsonResponse(200, insightsFixture));
    const result = await client.getInsights({
      kind: 'Component',
      namespace: 'default',
      name: 'order-service',
    });
    expect(result.entityRef).toBe('component:default/order-service');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/golden-path/entities/component/default/order-service/insights',
    );
  });

  it('asks the backend to skip its cache on refresh', async () => {
    const { client, fetch } = clientWith(jsonResponse(200, insightsFixture));
    await client.getInsights(
      { kind: 'Component', name: 'a b' },
      { refresh: true },
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/golden-path/entities/component/default/a%20b/insights?refresh=true',
    );
  });

  it.each([
    [
      403,
      'NotAllowedError',
      'You may not read the insights of component:default/order-service',
    ],
    [400, 'InputError', 'component:default/order-service is not a Go service'],
    [500, 'Error', 'boom'],
  ])(
    'surfaces a %i with the backend message',
    async (status, name, message) => {
      const { client } = clientWith(
        jsonResponse(status, {
          error: { name, message },
          request: { method: 'GET', url: '/insights' },
          response: { statusCode: status },
        }),
      );
      const error = await client
        .getInsights({ kind: 'Component', name: 'order-service' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect((error as ResponseError).statusCode).toBe(status);
      expect((error as ResponseError).body.error.message).toBe(message);
    },
  );
});
