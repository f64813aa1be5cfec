import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  testSettings,
  writeFiles,
} from '../__testUtils__/context';
import { createLocalCheckoutAction } from './localCheckout';

/*
 * Which monorepo a service opens is decided by where the catalog read its
 * entity from (backstage.io/managed-by-location, which the catalog sets),
 * not by its backstage.io/source-location, which the entity's author writes:
 * anyone who may register a location could otherwise claim another team's
 * monorepo and read it through a dry run.
 */

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'team' },
  };
}

function setup() {
  const s = makeSandbox();
  const root = path.join(s.root, 'repos');
  writeFiles(path.join(root, 'secret'), {
    'services/vault-service/catalog-info.yaml': 'kind: Component\n',
    'services/vault-service/config.go': 'package vault // secret\n',
  });
  writeFiles(path.join(root, 'shop'), {
    'services/order-service/catalog-info.yaml': 'kind: Component\n',
    'services/order-service/main.go': 'package main\n',
  });
  const entities = [
    // Registered from a repository of its author's, claiming the secret monorepo.
    component('claim-service', {
      'backstage.io/managed-by-location':
        'url:https://github.com/mallory/claim/blob/main/catalog-info.yaml',
      'backstage.io/source-location': `dir:${root}/secret/`,
    }),
    // Read from the shop monorepo, claiming the secret one.
    component('order-service', {
      'backstage.io/managed-by-location': `file:${root}/shop/services/order-service/catalog-info.yaml`,
      'backstage.io/source-location': `dir:${root}/secret/`,
    }),
    // Read from the secret monorepo itself.
    component('vault-service', {
      'backstage.io/managed-by-location': `file:${root}/secret/services/vault-service/catalog-info.yaml`,
      'golden-path.dev/go-service': 'services/vault-service',
    }),
  ];
  const catalog = catalogServiceMock({ entities });
  const action = createLocalCheckoutAction({
    settings: testSettings({ localRoots: [root] }),
    catalog,
  });
  const run = (entityRef: string) => {
    const { ctx, outputs } = actionContext(s.workspace, {
      entityRef,
      localPath: 'secret',
      paths: ['services/vault-service'],
    });
    return action.handler(ctx).then(() => outputs);
  };
  return { s, run };
}

describe('golden-path:local:checkout: the monorepo an entity opens', () => {
  it('refuses an entity whose source-location claims a monorepo its catalog file is not in, copying nothing', async () => {
    const { s, run } = setup();
    try {
      await expect(run('component:default/claim-service')).rejects.toThrow(
        'component:default/claim-service was not read into the catalog from a file of localPath "secret" (backstage.io/managed-by-location url:https://github.com/mallory/claim/blob/main/catalog-info.yaml): only a service registered from the catalog-info.yaml in its monorepo can check it out',
      );
      await expect(run('component:default/order-service')).rejects.toThrow(
        'component:default/order-service was not read into the catalog from a file of localPath "secret"',
      );
      expect(fs.readdirSync(s.workspace)).toEqual([]);
    } finally {
      s.cleanup();
    }
  });

  it('checks out the monorepo of a service registered from it', async () => {
    const { s, run } = setup();
    try {
      const outputs = await run('component:default/vault-service');
      expect(outputs.files).toEqual([
        'services/vault-service/catalog-info.yaml',
        'services/vault-service/config.go',
      ]);
    } finally {
      s.cleanup();
    }
  });
});

describe('bad input: local:checkout of a nested layout', () => {
  // shared/ holds two teams' git repositories; mallory registers a service
  // from hers, claiming the directory above (localPath "shared") to copy the
  // other team's repository out through a dry run.
  function nested() {
    const s = makeSandbox();
    const root = path.join(s.root, 'repos');
    writeFiles(path.join(root, 'shared'), {
      'mallory/.git/HEAD': 'ref: refs/heads/main\n',
      'mallory/services/m-service/catalog-info.yaml': 'kind: Component\n',
      'vault/.git/HEAD': 'ref: refs/heads/main\n',
      'vault/services/vault-service/config.go': 'package vault // secret\n',
    });
    const claim = component('m-service', {
      'backstage.io/managed-by-location': `file:${root}/shared/mallory/services/m-service/catalog-info.yaml`,
      'backstage.io/source-location': `dir:${root}/shared/`,
    });
    const own = component('own-service', {
      'backstage.io/managed-by-location': `file:${root}/shared/mallory/services/m-service/catalog-info.yaml`,
      'backstage.io/source-location': `dir:${root}/shared/mallory/services/m-service/`,
    });
    const action = createLocalCheckoutAction({
      settings: testSettings({ localRoots: [root] }),
      catalog: catalogServiceMock({ entities: [claim, own] }),
    });
    const run = (entityRef: string, localPath: string, paths: string[]) => {
      const { ctx, outputs } = actionContext(s.workspace, {
        entityRef,
        localPath,
        paths,
      });
      return action.handler(ctx).then(() => outputs);
    };
    return { s, root, run };
  }

  it('refuses a repository nested in a directory claiming that directory (the provenance rule of the insights)', async () => {
    const { s, root, run } = nested();
    try {
      await expect(
        run('component:default/m-service', 'shared', ['vault']),
      ).rejects.toThrow(
        `component:default/m-service: source-location dir:${root}/shared/ is outside the location the entity was registered from (file:${root}/shared/mallory/services/m-service/catalog-info.yaml)`,
      );
      expect(fs.readdirSync(s.workspace)).toEqual([]);
    } finally {
      s.cleanup();
    }
  });

  it('checks out a multi-segment localPath inside the repository of its catalog file', async () => {
    const { s, run } = nested();
    try {
      const outputs = await run(
        'component:default/own-service',
        'shared/mallory/services/m-service',
        ['catalog-info.yaml'],
      );
      expect(outputs.files).toEqual(['catalog-info.yaml']);
    } finally {
      s.cleanup();
    }
  });
});
