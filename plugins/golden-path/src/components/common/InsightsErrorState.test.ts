import { ResponseError } from '@backstage/errors';
import { explainInsightsError } from './InsightsErrorState';

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        request: { method: 'GET', url: '/' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

describe('explainInsightsError', () => {
  it.each([
    [
      403,
      'You may not read the insights of component:default/x',
      'permission',
      /golden-path\.insights\.read/,
    ],
    [
      403,
      'dir: source locations are not enabled; set goldenPath.insights.localRoots',
      'source',
      /localRoots/,
    ],
    [
      400,
      'entity has no backstage.io/source-location annotation',
      'source',
      /source-location/,
    ],
    [404, 'No entity component:default/x', 'not-found', /processed/],
    [502, 'bad gateway', 'backend', /golden-path-backend/],
  ])('explains a %i (%s)', async (status, message, kind, hint) => {
    const explanation = explainInsightsError(
      await responseError(status, message),
    );
    expect(explanation.kind).toBe(kind);
    expect(explanation.message).toBe(message);
    expect(explanation.hint).toMatch(hint);
  });

  it('explains a network failure', () => {
    expect(
      explainInsightsError(new TypeError('Failed to fetch')),
    ).toMatchObject({
      kind: 'backend',
      message: 'Failed to fetch',
    });
  });
});
