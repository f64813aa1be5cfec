import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import path from 'node:path';
import {
  templateCatalogInfo,
  templateService,
  tempDir,
  writeTree,
} from '../__testUtils__/monorepo';
import { GoldenPathServiceProvider } from './GoldenPathServiceProvider';
import { LocalMonorepoSource } from './localSource';
import { ServiceSource } from './types';

/*
 * The provider over real monorepos on disk and a recording connection: one
 * full mutation per refresh, services appearing and disappearing with their
 * directories, one entity per ref, each problem logged once, and nothing
 * removed when a root cannot be read.
 */
let base: string;
beforeEach(() => {
  base = tempDir('gp-discovery-provider-');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function setup(sources?: ServiceSource[]) {
  const logger = mockServices.logger.mock();
  const applyMutation = jest.fn<
    Promise<void>,
    Parameters<EntityProviderConnection['applyMutation']>
  >(async () => {});
  const connection: EntityProviderConnection = {
    applyMutation,
    refresh: jest.fn(),
  };
  const provider = new GoldenPathServiceProvider({
    sources: sources ?? [
      new LocalMonorepoSource(path.join(base, 'a'), { maxFileBytes: 65536 }),
      new LocalMonorepoSource(path.join(base, 'b'), { maxFileBytes: 65536 }),
    ],
    logger,
  });
  const lastRefs = () => {
    const m = applyMutation.mock.calls.at(-1)![0];
    if (m.type !== 'full') throw new Error('expected a full mutation');
    return m.entities.map(d => [stringifyEntityRef(d.entity), d.locationKey]);
  };
  const warnings = () => logger.warn.mock.calls.map(c => c[0]);
  return { provider, connection, applyMutation, logger, lastRefs, warnings };
}

describe('GoldenPathServiceProvider', () => {
  it('refuses to refresh before the catalog connected it', async () => {
    const { provider } = setup();
    await expect(provider.refresh()).rejects.toThrow(
      'golden-path-discovery is not connected to the catalog yet',
    );
  });

  it('applies one full mutation of every service of every root; a removed service disappears, an added one appears', async () => {
    const { provider, connection, lastRefs, applyMutation, logger } = setup();
    writeTree(path.join(base, 'a/shop'), {
      ...templateService('order'),
      ...templateService('payment'),
    });
    writeTree(path.join(base, 'b/bank'), templateService('ledger', 'bank'));
    await provider.connect(connection);
    expect(applyMutation).not.toHaveBeenCalled(); // no task runner: refreshes only when asked
    expect(await provider.refresh()).toEqual({
      services: 3,
      entities: 9,
      warnings: [],
    });
    const order = `file:${path.join(
      base,
      'a/shop/services/order-service/catalog-info.yaml',
    )}`;
    expect(lastRefs()).toEqual(
      expect.arrayContaining([
        ['component:default/order-service', order],
        ['api:default/order-grpc-api', order],
        ['resource:default/order-db', order],
        [
          'component:default/ledger-service',
          `file:${path.join(
            base,
            'b/bank/services/ledger-service/catalog-info.yaml',
          )}`,
        ],
      ]),
    );
    expect(lastRefs()).toHaveLength(9);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('3 services, 9 entities'),
    );

    fs.rmSync(path.join(base, 'a/shop/services/payment-service'), {
      recursive: true,
    });
    writeTree(path.join(base, 'a/shop'), templateService('shipping'));
    await provider.refresh();
    const refs = lastRefs().map(([r]) => r);
    expect(refs).not.toContain('component:default/payment-service');
    expect(refs).not.toContain('api:default/payment-grpc-api');
    expect(refs).toContain('component:default/shipping-service');
    expect(refs).toContain('resource:default/shipping-db');
    expect(applyMutation).toHaveBeenCalledTimes(2);
  });

  it('keeps the first of two services declaring one entity, and logs each problem once, not once per refresh', async () => {
    const { provider, connection, lastRefs, warnings } = setup();
    writeTree(path.join(base, 'a/shop'), templateService('order'));
    writeTree(path.join(base, 'b/copy'), templateService('order'));
    writeTree(path.join(base, 'a/shop'), {
      'services/bad-service/catalog-info.yaml': 'kind: [',
    });
    await provider.connect(connection);
    const first = await provider.refresh();
    await provider.refresh();
    expect(
      lastRefs().filter(([r]) => r === 'component:default/order-service'),
    ).toEqual([
      [
        'component:default/order-service',
        `file:${path.join(
          base,
          'a/shop/services/order-service/catalog-info.yaml',
        )}`,
      ],
    ]);
    expect(first?.warnings).toHaveLength(4); // the bad file, and the copy's three entities
    expect(warnings()).toHaveLength(4);
    expect(warnings()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^Golden path discovery: ${path.join(
              base,
              'a/shop/services/bad-service/catalog-info.yaml',
            )}: is not valid YAML`,
          ),
        ),
        `Golden path discovery: ${path.join(
          base,
          'b/copy/services/order-service/catalog-info.yaml',
        )}: component:default/order-service is already declared by ${path.join(
          base,
          'a/shop/services/order-service/catalog-info.yaml',
        )}; this one is skipped (rename one of them)`,
      ]),
    );
    // Fixed, then broken again: logged again.
    fs.writeFileSync(
      path.join(base, 'a/shop/services/bad-service/catalog-info.yaml'),
      templateCatalogInfo('bad'),
    );
    await provider.refresh();
    expect(lastRefs().map(([r]) => r)).toContain(
      'component:default/bad-service',
    );
    fs.writeFileSync(
      path.join(base, 'a/shop/services/bad-service/catalog-info.yaml'),
      'kind: [',
    );
    await provider.refresh();
    expect(warnings().filter(w => w.includes('bad-service'))).toHaveLength(2);
  });

  it('applies nothing when a root cannot be read, so the catalog keeps its services', async () => {
    const { provider, connection, applyMutation, warnings } = setup();
    writeTree(path.join(base, 'a/shop'), templateService('order'));
    fs.writeFileSync(path.join(base, 'b'), 'a file where a root should be');
    await provider.connect(connection);
    expect(await provider.refresh()).toBeUndefined();
    expect(applyMutation).not.toHaveBeenCalled();
    expect(warnings()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Golden path discovery could not read dir:${path.join(
            base,
            'b',
          )}: .*ENOTDIR.*; the catalog keeps the services of the last refresh until it can$`,
        ),
      ),
    ]);
  });

  it('applies nothing when its run is aborted (shutdown, timeout) before every service was read', async () => {
    const { provider, connection, applyMutation, logger } = setup();
    writeTree(path.join(base, 'a/shop'), {
      ...templateService('order'),
      ...templateService('payment'),
    });
    await provider.connect(connection);
    const controller = new AbortController();
    const pending = provider.refresh(controller.signal);
    controller.abort();
    expect(await pending).toBeUndefined();
    expect(applyMutation).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      'Golden path discovery stopped before it finished (shutdown or timeout); nothing applied',
    );
    expect(await provider.refresh(new AbortController().signal)).toMatchObject({
      services: 2,
    });
  });

  it('runs its refresh through the task runner it was given', async () => {
    const run = jest.fn(async () => {});
    const { connection } = setup();
    const provider = new GoldenPathServiceProvider({
      sources: [],
      logger: mockServices.logger.mock(),
      taskRunner: { run },
    });
    await provider.connect(connection);
    expect(run).toHaveBeenCalledWith({
      id: 'golden-path-discovery:refresh',
      fn: expect.any(Function),
    });
    await (run.mock.calls[0] as any)[0].fn(new AbortController().signal);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [],
    });
  });
});
