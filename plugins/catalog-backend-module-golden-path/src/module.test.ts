import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import path from 'node:path';
import { templateService, tempDir, writeTree } from './__testUtils__/monorepo';
import { DEFAULT_SCHEDULE } from './discovery/config';
import { catalogModuleGoldenPathDiscovery } from './module';

/*
 * The module on a test backend: the provider it adds to the catalog's
 * processing extension point, scheduled with the schedule of the config,
 * over the local publish roots by default or goldenPath.discovery.roots, and
 * a bad config refused at start-up with the key named.
 */
let base: string;
beforeEach(() => {
  base = tempDir('gp-discovery-module-');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

async function start(data: object) {
  const providers: EntityProvider[] = [];
  // The functional mock scheduler: tasks run when triggered (its factory is not in the public type).
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options?: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
    triggerTask(id: string): Promise<void>;
  };
  const backend = await startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        { addEntityProvider: (...p: any[]) => providers.push(...p.flat()) },
      ],
    ],
    features: [
      catalogModuleGoldenPathDiscovery,
      mockServices.rootConfig.factory({ data }),
      scheduler.factory({ skipTaskRunOnStartup: true }),
    ],
  });
  const applyMutation = jest.fn(async (_m: any) => {});
  const connection: EntityProviderConnection = {
    applyMutation,
    refresh: jest.fn(),
  };
  return { backend, providers, scheduler, applyMutation, connection };
}

describe('catalogModuleGoldenPathDiscovery', () => {
  it('adds one provider that discovers the local publish roots on its configured schedule', async () => {
    const local = path.join(base, 'local');
    writeTree(path.join(local, 'shop'), templateService('order'));
    const { backend, providers, scheduler, applyMutation, connection } =
      await start({
        goldenPath: {
          publish: { local: { allowedRoots: [local] } },
          discovery: {
            schedule: { frequency: { seconds: 2 }, timeout: { seconds: 30 } },
          },
        },
      });
    expect(providers.map(p => p.getProviderName())).toEqual([
      'golden-path-discovery',
    ]);
    await providers[0].connect(connection);
    expect(await scheduler.getScheduledTasks()).toEqual([
      expect.objectContaining({ id: 'golden-path-discovery:refresh' }),
    ]);
    await scheduler.triggerTask('golden-path-discovery:refresh');
    expect(applyMutation).toHaveBeenCalledTimes(1);
    const mutation = applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    expect(
      mutation.entities.map((d: any) => stringifyEntityRef(d.entity)),
    ).toEqual([
      'component:default/order-service',
      'api:default/order-grpc-api',
      'resource:default/order-db',
    ]);
    await backend.stop();
  });

  it('reads goldenPath.discovery.roots instead of the local publish roots when set', async () => {
    const local = path.join(base, 'local');
    const other = path.join(base, 'other');
    writeTree(path.join(local, 'shop'), templateService('order'));
    writeTree(path.join(other, 'bank'), templateService('ledger', 'bank'));
    const { backend, providers, scheduler, applyMutation, connection } =
      await start({
        goldenPath: {
          publish: { local: { allowedRoots: [local] } },
          discovery: { roots: [other] },
        },
      });
    await providers[0].connect(connection);
    await scheduler.triggerTask('golden-path-discovery:refresh');
    expect(
      applyMutation.mock.calls[0][0].entities.map(
        (d: any) => d.entity.metadata.name,
      ),
    ).toEqual(['ledger-service', 'ledger-grpc-api', 'ledger-db']);
    await backend.stop();
  });

  it.each([
    [
      { schedule: { frequency: { seconds: 2 }, timeout: { seconds: 30 } } },
      { frequency: { seconds: 2 }, timeout: { seconds: 30 }, scope: undefined },
    ],
    [
      {
        schedule: {
          frequency: { cron: '*/5 * * * *' },
          timeout: 'PT1M',
          initialDelay: { seconds: 1 },
        },
      },
      {
        frequency: { cron: '*/5 * * * *' },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 1 },
        scope: undefined,
      },
    ],
    [{}, DEFAULT_SCHEDULE],
  ])(
    'schedules the refresh with goldenPath.discovery %j',
    async (discovery, schedule) => {
      const createScheduledTaskRunner = jest.fn(() => ({ run: jest.fn() }));
      const backend = await startTestBackend({
        extensionPoints: [
          [catalogProcessingExtensionPoint, { addEntityProvider: () => {} }],
        ],
        features: [
          catalogModuleGoldenPathDiscovery,
          mockServices.rootConfig.factory({
            data: { goldenPath: { discovery } },
          }),
          mockServices.scheduler.mock({ createScheduledTaskRunner }).factory,
        ],
      });
      expect(createScheduledTaskRunner).toHaveBeenCalledWith(schedule);
      await backend.stop();
    },
  );

  it.each([
    [
      { roots: ['relative/dir'] },
      'goldenPath.discovery.roots: "relative/dir" is not an absolute directory path',
    ],
    [
      { maxFileBytes: 0 },
      'goldenPath.discovery.maxFileBytes: 0 is not a positive whole number of bytes',
    ],
    [{ schedule: { frequency: 'often', timeout: { minutes: 1 } } }, 'often'],
  ])('refuses %j at start-up, naming the key', async (discovery, message) => {
    await expect(start({ goldenPath: { discovery } })).rejects.toThrow(message);
  });
});
