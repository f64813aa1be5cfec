import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import path from 'node:path';
import { catalogModuleGoldenPathTemplates } from './module';

/*
 * A backend with the catalog, the scaffolder entity model and this module
 * only (no catalog location in its config, the catalog's default rules,
 * which do not allow Template for locations): the templates are in the
 * catalog, each located at its file in the templates directory.
 */
jest.setTimeout(60_000);

async function catalogTemplates(baseUrl: string) {
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-query?filter=kind=template`,
  );
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: any[] };
  return body.items;
}

const containsAll = (names: string[], expected: string[]) =>
  expected.every(n => names.includes(n));

it('a backend with only this module installed has the templates in its catalog', async () => {
  const backend = await startTestBackend({
    features: [
      catalogBackend,
      scaffolderEntityModel,
      catalogModuleGoldenPathTemplates,
      mockServices.rootConfig.factory({
        data: { catalog: { processingInterval: { seconds: 1 } } },
      }),
    ],
  });
  try {
    const baseUrl = `http://localhost:${backend.server.port()}`;
    // The catalog processes the templates one by one: wait until all are in.
    const expected = [
      'add-aggregate',
      'add-rpc',
      'add-scheduled-job',
      'go-monorepo',
      'go-service',
      'onboard-team',
    ];
    let items: any[] = [];
    let names: string[] = [];
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      items = await catalogTemplates(baseUrl);
      names = items.map(e => e.metadata.name);
      if (containsAll(names, expected)) break;
      await new Promise(r => setTimeout(r, 250));
    }
    expect(names).toEqual(expect.arrayContaining(expected));
    const goService = items.find(e => e.metadata.name === 'go-service');
    const file = path.resolve(
      __dirname,
      '../../../templates/go-service/template.yaml',
    );
    expect(goService.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `file:${file}`,
    });
    expect(goService.spec.steps.length).toBeGreaterThan(0);
  } finally {
    await backend.stop();
  }
});
