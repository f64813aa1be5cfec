import { ResponseError } from '@backstage/errors';
import { insightsFixture } from '../__fixtures__/insights';
import type { GoldenPathInsightsRefresh } from './GoldenPathInsightsApi';
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

function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** What a response's headers are, and what refreshInsights reads of them. */
type HeaderCase = [
  string,
  Record<string, string>,
  Omit<GoldenPathInsightsRefresh, 'insights'>,
];

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
    const { client, fetch } = clientWith(
      jsonResponse(200, insightsFixture, { 'Golden-Path-Refresh': 'done' }),
    );
    const result = await client.refreshInsights({
      kind: 'Component',
      name: 'a b',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/golden-path/entities/component/default/a%20b/insights?refresh=true',
    );
    expect(result).toEqual({ insights: insightsFixture, refresh: 'done' });
  });

  it.each<HeaderCase>([
    [
      'a deferred refresh with the seconds to wait',
      { 'golden-path-refresh': 'deferred', 'retry-after': '7' },
      { refresh: 'deferred', retryAfterSeconds: 7 },
    ],
    [
      'a deferred refresh without Retry-After',
      { 'Golden-Path-Refresh': 'deferred' },
      { refresh: 'deferred' },
    ],
    // bad input: only delay-seconds is read, anything else is left out
    ...['-3', '1.5', '9999999999', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT'].map(
      (retryAfter): HeaderCase => [
        `a deferred refresh with Retry-After ${JSON.stringify(retryAfter)}`,
        { 'Golden-Path-Refresh': 'deferred', 'Retry-After': retryAfter },
        { refresh: 'deferred' },
      ],
    ),
    [
      'a backend that sends no Golden-Path-Refresh (refreshed)',
      {},
      { refresh: 'done' },
    ],
    [
      'an unknown Golden-Path-Refresh (refreshed)',
      { 'Golden-Path-Refresh': 'later', 'Retry-After': '5' },
      { refresh: 'done' },
    ],
  ])('reads %s', async (_what, headers, expected) => {
    const { client } = clientWith(jsonResponse(200, insightsFixture, headers));
    await expect(
      client.refreshInsights({ kind: 'Component', name: 'order-service' }),
    ).resolves.toEqual({ insights: insightsFixture, ...expected });
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
