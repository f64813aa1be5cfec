import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleInsights } from '../__fixtures__/fleetInsights';
import { FleetService, filterRef } from './FleetService';
import type { InsightsService } from './InsightsService';

const REVISION = `sha256-${'ab12'.repeat(16)}`;
const NEXT = `sha256-${'cd34'.repeat(16)}`;

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-fleet-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A service under the local root, with values.json recording `version`. */
function service(
  name: string,
  opts: { team?: string; system?: string; version?: string } = {},
): Entity {
  const repo = path.join(root, `${name}-repo`);
  const dir = path.join(repo, 'services', name, '.golden-path');
  fs.mkdirSync(dir, { recursive: true });
  if (opts.version)
    fs.writeFileSync(
      path.join(dir, 'values.json'),
      JSON.stringify({
        template: 'go-service',
        templateVersion: {
          name: 'go-service',
          version: opts.version,
          revision: REVISION,
        },
      }),
    );
  const team = opts.team ?? 'group:default/team-a';
  const system = opts.system ?? 'system:default/shop';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'golden-path.dev/go-service': `services/${name}`,
        'backstage.io/source-location': `dir:${repo}/`,
        'backstage.io/managed-by-location': `file:${repo}/catalog-info.yaml`,
      },
    },
    spec: { type: 'service', owner: team, system, lifecycle: 'production' },
    relations: [
      { type: 'ownedBy', targetRef: team },
      { type: 'partOf', targetRef: system },
    ],
  };
}

const TEMPLATE: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'go-service',
    namespace: 'default',
    annotations: { 'golden-path.dev/template-version': '1.1.0' },
  },
  spec: {},
};

const NOT_GO: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'website', owner: 'group:default/team-a', lifecycle: 'x' },
};

function setup(
  entities: Entity[],
  opts: {
    getInsights?: InsightsService['getInsights'];
    deny?: string[];
    ttlMs?: number;
    concurrency?: number;
    now?: () => number;
    authorizeBatchSize?: number;
  } = {},
) {
  const catalog = catalogServiceMock({ entities: [...entities, TEMPLATE] });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  const authorize = jest.fn(async (requests: any[], _options?: unknown) =>
    requests.map(r => ({
      result: opts.deny?.includes(r.resourceRef)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })),
  );
  const permissions = {
    ...mockServices.permissions(),
    authorize,
  } as any;
  const getInsights = jest.fn(
    opts.getInsights ??
      (async (entity: Entity) =>
        sampleInsights({
          entityRef: `component:default/${entity.metadata.name}`,
        })),
  );
  const logger = mockServices.logger.mock();
  const fleet = new FleetService(
    {
      catalog,
      permissions,
      insights: { getInsights },
      urlReader: mockServices.urlReader.mock(),
      logger,
    },
    {
      ttlMs: opts.ttlMs ?? 60_000,
      environments: ['dev', 'prod'],
      localRoots: [root],
      concurrency: opts.concurrency,
      now: opts.now,
      authorizeBatchSize: opts.authorizeBatchSize,
    },
  );
  return { fleet, getInsights, authorize, getEntities, logger };
}

const credentials = mockCredentials.user('user:default/ada');

describe('FleetService', () => {
  it('answers at once with every service pending, analyses them in the background, then summarises them', async () => {
    const { fleet, getInsights } = setup([
      service('a-service', { version: '1.0.0' }),
      service('b-service', { version: '1.1.0' }),
      NOT_GO,
    ]);
    const first = await fleet.getFleet({ credentials });
    expect(first.total).toBe(2);
    expect(first.pending).toBe(2);
    expect(first.environments).toEqual(['dev', 'prod']);
    expect(first.items.map(i => [i.name, i.status])).toEqual([
      ['a-service', 'pending'],
      ['b-service', 'pending'],
    ]);
    // asked again while running: nothing analysed twice
    await fleet.getFleet({ credentials });
    await fleet.idle();
    expect(getInsights).toHaveBeenCalledTimes(2);

    const second = await fleet.getFleet({ credentials });
    expect(second.pending).toBe(0);
    const a = second.items.find(i => i.name === 'a-service')!;
    expect(a).toMatchObject({
      entityRef: 'component:default/a-service',
      localPath: 'a-service-repo',
      owner: 'group:default/team-a',
      system: 'system:default/shop',
      status: 'analysed',
      analysedAt: '2026-12-04T10:00:00.000Z',
      dependencyViolations: 1,
      protoProblems: 2,
      atlasSum: 'mismatch',
      template: {
        name: 'go-service',
        recorded: '1.0.0',
        revision: REVISION,
        current: '1.1.0',
        behind: true,
      },
      upgradeBranches: [],
    });
    expect(a.migrations.map(m => [m.name, m.pending, m.failed])).toEqual([
      ['dev', 2, 0],
      ['prod', 0, 2],
    ]);
    expect(
      second.items.find(i => i.name === 'b-service')!.template?.behind,
    ).toBe(false);
    expect(getInsights).toHaveBeenCalledTimes(2);
  });

  it('reads the catalog with the caller credentials, only golden-path services, with fields', async () => {
    const { fleet, getEntities } = setup([service('a-service')]);
    await fleet.getFleet({ credentials });
    const [request, options] = getEntities.mock.calls[0];
    expect(options).toEqual({ credentials });
    expect(request?.fields).toContain('metadata.annotations');
    expect(request?.fields).not.toContain('spec');
    expect(Object.keys(request?.filter as object)).toEqual([
      'kind',
      'metadata.annotations.golden-path.dev/go-service',
    ]);
  });

  it('asks the permission framework in one call for a fleet up to the batch size, and leaves out those denied', async () => {
    const { fleet, authorize, getInsights } = setup(
      [service('a-service'), service('b-service'), service('c-service')],
      { deny: ['component:default/b-service'] },
    );
    const res = await fleet.getFleet({ credentials });
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize.mock.calls[0][0]).toHaveLength(3);
    expect(authorize.mock.calls[0][0][0].permission.name).toBe(
      'golden-path.insights.read',
    );
    expect(authorize.mock.calls[0][1]).toEqual({ credentials });
    expect(res.items.map(i => i.name)).toEqual(['a-service', 'c-service']);
    await fleet.idle();
    // a denied service is not analysed either
    expect(getInsights.mock.calls.map(c => c[0].metadata.name).sort()).toEqual([
      'a-service',
      'c-service',
    ]);
  });

  it('asks in batches of authorizeBatchSize, the decisions kept in order', async () => {
    const { fleet, authorize } = setup(
      Array.from({ length: 5 }, (_, i) => service(`s${i}-service`)),
      { authorizeBatchSize: 2, deny: ['component:default/s3-service'] },
    );
    const res = await fleet.getFleet({ credentials });
    expect(authorize.mock.calls.map(c => c[0].length)).toEqual([2, 2, 1]);
    expect(res.items.map(i => i.name)).toEqual([
      's0-service',
      's1-service',
      's2-service',
      's4-service',
    ]);
  });

  it('filters by team and system (ownedBy and partOf relations)', async () => {
    const { fleet } = setup([
      service('a-service', { team: 'group:default/team-a' }),
      service('b-service', {
        team: 'group:default/team-b',
        system: 'system:default/ledger',
      }),
      service('c-service', { team: 'group:default/team-b' }),
    ]);
    const names = async (team?: string, system?: string) =>
      (await fleet.getFleet({ credentials, team, system })).items.map(
        i => i.name,
      );
    expect(await names('group:default/team-b')).toEqual([
      'b-service',
      'c-service',
    ]);
    expect(await names(undefined, 'system:default/ledger')).toEqual([
      'b-service',
    ]);
    expect(await names('group:default/team-b', 'system:default/shop')).toEqual([
      'c-service',
    ]);
  });

  it('lists the open upgrade branches of a local monorepo, not the one already merged', async () => {
    const entity = service('a-service', { version: '1.0.0' });
    const git = path.join(root, 'a-service-repo/.git');
    fs.mkdirSync(path.join(git, 'refs/heads/golden-path'), { recursive: true });
    for (const rev of [REVISION, NEXT])
      fs.writeFileSync(
        path.join(
          git,
          `refs/heads/golden-path/upgrade-a-service-${rev.slice(7, 19)}`,
        ),
        'x',
      );
    fs.writeFileSync(
      path.join(git, 'packed-refs'),
      `# pack-refs\n0123 refs/heads/golden-path/upgrade-a-service-${'e'.repeat(
        12,
      )}-conflicts\n0123 refs/heads/golden-path/upgrade-b-service-${'f'.repeat(
        12,
      )}\n`,
    );
    const { fleet } = setup([entity]);
    await fleet.getFleet({ credentials });
    await fleet.idle();
    const [row] = (await fleet.getFleet({ credentials })).items;
    expect(row.upgradeBranches).toEqual([
      `golden-path/upgrade-a-service-${NEXT.slice(7, 19)}`,
      `golden-path/upgrade-a-service-${'e'.repeat(12)}-conflicts`,
    ]);
  });

  it('shows a failed analysis in one line, without server paths', async () => {
    const { fleet, logger } = setup(
      [service('a-service'), service('b-service')],
      {
        getInsights: async entity => {
          if (entity.metadata.name === 'a-service')
            throw Object.assign(
              new Error("EACCES: permission denied, open '/srv/secret/go.mod'"),
              { syscall: 'open', path: '/srv/secret/go.mod' },
            );
          throw new InputError('services/x: not a service directory\nmore');
        },
      },
    );
    await fleet.getFleet({ credentials });
    await fleet.idle();
    const { items } = await fleet.getFleet({ credentials });
    expect(items[0].status).toBe('error');
    expect(items[0].error).toMatch(/^An internal error occurred; .*logId=/);
    expect(items[0].error).not.toContain('/srv');
    expect(items[1].error).toBe('services/x: not a service directory');
    expect(logger.error).toHaveBeenCalled();
  });

  it('refuses a source the entity only claims, before reading its insights or values.json', async () => {
    const other = service('b-service', { version: '1.0.0' });
    const spoof = service('a-service');
    spoof.metadata.annotations!['backstage.io/source-location'] =
      other.metadata.annotations!['backstage.io/source-location'];
    const getInsights = jest.fn(async () => {
      throw new Error('read');
    });
    const { fleet } = setup([spoof], { getInsights });
    await fleet.getFleet({ credentials });
    await fleet.idle();
    const { items } = await fleet.getFleet({ credentials });
    expect(items[0].status).toBe('error');
    expect(items[0].error).toBe(
      `source-location dir:${root}/b-service-repo/ is outside the location the entity was registered from (file:${root}/a-service-repo/catalog-info.yaml): register it from the catalog-info.yaml of the repository that holds its source`,
    );
    expect(items[0].template).toBeUndefined();
    expect(getInsights).not.toHaveBeenCalled();
  });

  it('runs at most `concurrency` analyses at once', async () => {
    let running = 0;
    let most = 0;
    const { fleet } = setup(
      Array.from({ length: 12 }, (_, i) => service(`s${i}-service`)),
      {
        concurrency: 3,
        getInsights: async entity => {
          running++;
          most = Math.max(most, running);
          await new Promise(r => setTimeout(r, 5));
          running--;
          return sampleInsights({ entityRef: entity.metadata.name });
        },
      },
    );
    const res = await fleet.getFleet({ credentials });
    expect(res.pending).toBe(12);
    expect(fleet.stats().running).toBe(3);
    await fleet.idle();
    expect(most).toBe(3);
    expect((await fleet.getFleet({ credentials })).pending).toBe(0);
  });

  it('shows an old summary while it is made again after the TTL', async () => {
    let generatedAt = '2026-12-04T10:00:00.000Z';
    let clock = 1_000_000;
    const { fleet, getInsights } = setup([service('a-service')], {
      ttlMs: 60_000,
      now: () => clock,
      getInsights: async () => sampleInsights({ generatedAt }),
    });
    await fleet.getFleet({ credentials });
    await fleet.idle();
    expect((await fleet.getFleet({ credentials })).items[0].refreshing).toBe(
      undefined,
    );
    clock += 60_001;
    generatedAt = '2026-12-04T11:00:00.000Z';
    const stale = (await fleet.getFleet({ credentials })).items[0];
    expect(stale).toMatchObject({
      status: 'analysed',
      analysedAt: '2026-12-04T10:00:00.000Z',
      refreshing: true,
    });
    await fleet.idle();
    const fresh = (await fleet.getFleet({ credentials })).items[0];
    expect(fresh.analysedAt).toBe('2026-12-04T11:00:00.000Z');
    expect(fresh.refreshing).toBeUndefined();
    expect(getInsights).toHaveBeenCalledTimes(2);
  });

  it('keeps at most maxEntries summaries', async () => {
    const catalogEntities = Array.from({ length: 5 }, (_, i) =>
      service(`s${i}-service`),
    );
    const { fleet } = setup(catalogEntities);
    (fleet as any).maxEntries = 3;
    await fleet.getFleet({ credentials });
    await fleet.idle();
    expect(fleet.stats().entries).toBe(3);
  });

  it('leaves the current version out when the caller may not see the template', async () => {
    const catalog = catalogServiceMock({
      entities: [service('a-service', { version: '1.0.0' })],
    });
    const fleet = new FleetService(
      {
        catalog,
        permissions: mockServices.permissions(),
        insights: {
          getInsights: async () => sampleInsights() as GoServiceInsights,
        },
        urlReader: mockServices.urlReader.mock(),
        logger: mockServices.logger.mock(),
      },
      { ttlMs: 60_000, environments: [], localRoots: [root] },
    );
    await fleet.getFleet({ credentials });
    await fleet.idle();
    const [row] = (await fleet.getFleet({ credentials })).items;
    expect(row.template).toEqual({
      name: 'go-service',
      recorded: '1.0.0',
      revision: REVISION,
    });
  });
});

describe('filterRef', () => {
  it('completes a short team or system name', () => {
    expect(filterRef('platform-team', 'team')).toBe(
      'group:default/platform-team',
    );
    expect(filterRef('system:ops/shop', 'system')).toBe('system:ops/shop');
    expect(filterRef(undefined, 'team')).toBeUndefined();
    expect(filterRef('', 'system')).toBeUndefined();
  });
  it('refuses what is not one reference of the right kind, in one line', () => {
    expect(() => filterRef(['a', 'b'], 'team')).toThrow(
      /^team: give one group reference/,
    );
    expect(() => filterRef('x'.repeat(301), 'team')).toThrow(/^team: give one/);
    expect(() => filterRef('component:default/x', 'system')).toThrow(
      'system "component:default/x" is a component, not a system',
    );
    expect(() => filterRef('group:default/', 'team')).toThrow(
      /^team "group:default\/" is not an entity reference \(.*\); write e\.g\. group:default\/name$/,
    );
  });
});

describe('bad input: a values.json over the limit', () => {
  it('lists the service without its template version and logs one warning naming the file and the limit', async () => {
    const entity = service('huge-service', { version: '1.0.0' });
    fs.writeFileSync(
      path.join(
        root,
        'huge-service-repo/services/huge-service/.golden-path/values.json',
      ),
      Buffer.alloc(256 * 1024 + 1, 0x20),
    );
    const { fleet, logger } = setup([entity]);
    await fleet.getFleet({ credentials });
    await fleet.idle();
    const { items } = await fleet.getFleet({ credentials });
    expect(items[0].status).toBe('analysed');
    expect(items[0].template).toBeUndefined();
    expect(logger.warn.mock.calls.map(c => c[0])).toEqual([
      'golden-path fleet: the recorded template version of component:default/huge-service was not read: services/huge-service/.golden-path/values.json is larger than 262144 bytes (256 KiB), the most read of it: the template writes a few kilobytes there; restore the file the template rendered',
    ]);
  });
});
