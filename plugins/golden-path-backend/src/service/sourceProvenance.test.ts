import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  copyRenderedService,
  serviceEntity,
} from '../__fixtures__/renderedService';
import { AtlasRevisionsReader } from '../analysis';
import { readInsightsConfig } from './config';
import { DefaultInsightsService } from './InsightsService';
import { entitySourceLocation } from './sourceLocation';
import { checkSourceProvenance, repositoryOfUrl } from './sourceProvenance';

/*
 * `backstage.io/source-location` is the entity author's to write; the
 * insights read a source only inside the repository the catalog read the
 * entity from (`backstage.io/managed-by-location`, the catalog's own).
 */
describe('source provenance', () => {
  let root: string;
  let victim: string;
  let attacker: string;
  let readTree: jest.Mock;

  beforeAll(() => {
    root = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'gp-provenance-')),
    );
    victim = copyRenderedService(path.join(root, 'victim'));
    attacker = path.join(root, 'attacker');
    fs.mkdirSync(attacker);
    fs.writeFileSync(path.join(attacker, 'catalog-info.yaml'), '');
    // a team's monorepo nested one level deeper, a git repository of its own
    fs.mkdirSync(path.join(root, 'team/shop/.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'team/mine/services/x-service'), {
      recursive: true,
    });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function insights() {
    readTree = jest.fn(async () => {
      throw new Error('the private repository was read');
    });
    return new DefaultInsightsService(
      readInsightsConfig(
        new ConfigReader({
          goldenPath: { insights: { localRoots: [root] } },
        }),
      ),
      mockServices.logger.mock(),
      { readTree } as unknown as UrlReaderService,
      mockServices.cache.mock(),
      new AtlasRevisionsReader(),
    );
  }

  it('reads a dir: source registered from a file of its own monorepo', async () => {
    const result = await insights().getInsights(serviceEntity(victim));
    expect(result.layers.packages.length).toBeGreaterThan(0);
  });

  it("refuses a dir: source claiming another team's monorepo, naming only the two annotations", async () => {
    const managed = `file:${attacker}/catalog-info.yaml`;
    const spoof = serviceEntity(victim, 'spoof-service', {
      'backstage.io/managed-by-location': managed,
    });
    await expect(insights().getInsights(spoof)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `source-location dir:${victim}/ is outside the location the entity was registered from (${managed}): register it from the catalog-info.yaml of the repository that holds its source`,
    });
  });

  it('refuses a dir: source of an entity the catalog did not read from a file', async () => {
    const noFile = serviceEntity(victim, 'spoof-service', {
      'backstage.io/managed-by-location': '',
    });
    await expect(insights().getInsights(noFile)).rejects.toThrow(
      'outside the location the entity was registered from (no backstage.io/managed-by-location)',
    );
    const fromUrl = serviceEntity(victim, 'spoof-service', {
      'backstage.io/managed-by-location':
        'url:https://github.com/evil/repo/blob/main/catalog-info.yaml',
    });
    await expect(insights().getInsights(fromUrl)).rejects.toThrow(
      'outside the location the entity was registered from (url:https://github.com/evil/repo/blob/main/catalog-info.yaml)',
    );
  });

  it('refuses a url: source in another repository than the catalog file, before reading it with the integration token', async () => {
    const service = insights();
    for (const managed of [
      'url:https://github.com/evil/repo/blob/main/catalog-info.yaml',
      'url:https://github.com/acme/shop-fork/blob/main/catalog-info.yaml',
      'url:https://gitea.example.com/acme/shop/src/branch/main/catalog-info.yaml',
      `file:${attacker}/catalog-info.yaml`,
    ]) {
      const spoof = serviceEntity(victim, 'spoof-service', {
        'backstage.io/source-location':
          'url:https://github.com/acme/shop/tree/main/',
        'backstage.io/managed-by-location': managed,
      });
      await expect(service.getInsights(spoof)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `source-location url:https://github.com/acme/shop/tree/main/ is outside the location the entity was registered from (${managed})`,
        ),
      });
    }
    expect(readTree).not.toHaveBeenCalled();
  });

  it('reads a url: source in the repository of the catalog file, on another branch too', async () => {
    const entity = serviceEntity(victim, 'shop-service', {
      'backstage.io/source-location':
        'url:https://github.com/acme/shop/tree/main/',
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/shop/blob/release/services/x/catalog-info.yaml',
    });
    await expect(
      checkSourceProvenance(entity, entitySourceLocation(entity), []),
    ).resolves.toBeUndefined();
  });

  it('takes the nearest git repository as the monorepo of a nested catalog file', async () => {
    const entity = serviceEntity(victim, 'x-service', {
      'golden-path.dev/go-service': 'services/x-service',
      'backstage.io/source-location': `dir:${root}/team/`,
      'backstage.io/managed-by-location': `file:${root}/team/mine/services/x-service/catalog-info.yaml`,
    });
    // mine has no .git: its monorepo is the directory under the root, team
    await expect(
      checkSourceProvenance(entity, entitySourceLocation(entity), [root]),
    ).resolves.toBeUndefined();
    fs.mkdirSync(path.join(root, 'team/mine/.git'));
    await expect(
      checkSourceProvenance(entity, entitySourceLocation(entity), [root]),
    ).rejects.toThrow('is outside the location the entity was registered from');
  });

  it('keeps the 404 of a dir: source outside the roots (no oracle of server paths)', async () => {
    const entity = serviceEntity('/etc', 'x-service', {
      'backstage.io/managed-by-location': `file:${attacker}/catalog-info.yaml`,
    });
    await expect(insights().getInsights(entity)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it.each([
    [
      'https://github.com/acme/shop/tree/main/x',
      'https://github.com/acme/shop',
    ],
    [
      'https://gitlab.example.com/g/sub/shop/-/tree/main/',
      'https://gitlab.example.com/g/sub/shop',
    ],
    [
      'https://dev.azure.com/org/proj/_git/shop?path=/x',
      'https://dev.azure.com/org/proj/_git/shop',
    ],
    [
      'https://bitbucket.example.com/projects/P/repos/shop/browse',
      'https://bitbucket.example.com/projects/P/repos/shop',
    ],
    ['https://example.com/only-one/', undefined],
    ['file:///etc/', undefined],
    ['not a url', undefined],
  ])('repository of %s', (url, repository) => {
    expect(repositoryOfUrl(url)).toBe(repository);
  });
});
