import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  actionContext,
  makeSandbox,
  testSettings,
  writeFiles,
} from '../__testUtils__/context';
import { createLocalCheckoutAction } from './localCheckout';
import { examples } from './localCheckout.examples';

const ALICE = 'user:default/alice';

/** A service entity as golden-path:catalog:register leaves it (or with a source-location). */
function serviceEntity(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'golden-path.dev/go-service': `services/${name}`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/team',
    },
  };
}

/**
 * The catalog as the task's initiator sees it: every entity but
 * secret-service, which only alice may read.
 */
function catalogFor(root: string) {
  const managedBy = (mono: string, name: string) => ({
    'backstage.io/managed-by-location': `file:${path.join(
      root,
      mono,
      'services',
      name,
      'catalog-info.yaml',
    )}`,
  });
  const entities = [
    serviceEntity('order-service', managedBy('shop', 'order-service')),
    serviceEntity('other-service', managedBy('other', 'other-service')),
    serviceEntity('secret-service', managedBy('shop', 'secret-service')),
    serviceEntity('url-service', {
      'backstage.io/source-location':
        'url:https://github.com/acme/shop/tree/main/',
    }),
    serviceEntity('outside-service', {
      'backstage.io/source-location': 'dir:/etc/',
    }),
    serviceEntity('escaping-service', {
      'backstage.io/source-location': `dir:${root}/shop/../../outside/`,
    }),
  ];
  return catalogServiceMock.mock({
    getEntityByRef: async (ref, options) => {
      const r = ref as { kind: string; namespace: string; name: string };
      const credentials = (
        options as { credentials?: { principal?: unknown } } | undefined
      )?.credentials;
      const principal = (credentials?.principal ?? {}) as {
        userEntityRef?: string;
      };
      if (r.name === 'secret-service' && principal.userEntityRef !== ALICE)
        return undefined;
      return entities.find(
        e => e.metadata.name === r.name && r.kind.toLowerCase() === 'component',
      );
    },
  });
}

function setup() {
  const s = makeSandbox();
  const root = path.join(s.root, 'repos');
  writeFiles(path.join(root, 'shop'), {
    'go.work': 'go 1.26.0\n',
    'services/order-service/cmd/main.go': 'package main\n',
    'services/order-service/.golden-path/values.json': '{}\n',
    // A nested repository's .git (never copied); not one on the way to the
    // service's catalog file, which would make that repository its monorepo.
    'api/proto/.git/config': '[core]\n',
    'api/proto/buf.yaml': 'version: v2\n',
    'api/proto/order/v1/order_service.proto': 'syntax = "proto3";\n',
    'pkg/proto/order/v1/order_service.pb.go': 'package orderv1\n',
  });
  writeFiles(path.join(root, 'other'), {
    'services/other-service/go.mod': 'module other\n',
  });
  fs.chmodSync(
    path.join(root, 'shop/services/order-service/cmd/main.go'),
    0o755,
  );
  const catalog = catalogFor(root);
  return {
    s,
    root,
    catalog,
    action: createLocalCheckoutAction({
      settings: testSettings({ localRoots: [root] }),
      catalog,
    }),
  };
}

describe('golden-path:local:checkout', () => {
  it('copies the paths into the workspace, keeping paths and modes, skipping .git', async () => {
    const { s, action } = setup();
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        entityRef: 'component:default/order-service',
        localPath: 'shop',
        paths: ['services/order-service', 'api/proto/', 'pkg/proto/order'],
        targetPath: 'before',
      });
      await action.handler(ctx);
      expect(outputs.files).toEqual([
        'before/services/order-service/.golden-path/values.json',
        'before/services/order-service/cmd/main.go',
        'before/api/proto/buf.yaml',
        'before/api/proto/order/v1/order_service.proto',
        'before/pkg/proto/order/v1/order_service.pb.go',
      ]);
      expect(
        fs.statSync(
          path.join(s.workspace, 'before/services/order-service/cmd/main.go'),
        ).mode & 0o777,
      ).toBe(0o755);
      expect(
        fs.existsSync(path.join(s.workspace, 'before/api/proto/.git')),
      ).toBe(false);
      expect(fs.existsSync(path.join(s.workspace, 'before/go.work'))).toBe(
        false,
      );
    } finally {
      s.cleanup();
    }
  });

  it('skips the paths the monorepo does not have with skipMissing, and copies the others', async () => {
    const { s, action } = setup();
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        entityRef: 'component:default/order-service',
        localPath: 'shop',
        paths: ['go.work', '.editorconfig', 'api', 'Makefile'],
        targetPath: 'before',
        skipMissing: true,
      });
      await action.handler(ctx);
      expect(outputs.files).toEqual([
        'before/go.work',
        'before/api/proto/buf.yaml',
        'before/api/proto/order/v1/order_service.proto',
      ]);
      expect(ctx.logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^copied 3 file\(s\) of shop \(the monorepo of component:default\/order-service\) into before; not in it: \.editorconfig, Makefile$/,
        ),
      );
      // Still confined: a missing path is skipped only once it is a plain path under the root.
      await expect(
        action.handler(
          actionContext(s.workspace, {
            entityRef: 'component:default/order-service',
            localPath: 'shop',
            paths: ['../other/services'],
            targetPath: 'again',
            skipMissing: true,
          }).ctx,
        ),
      ).rejects.toThrow(/must be directory names/);
      await expect(
        action.handler(
          actionContext(s.workspace, {
            entityRef: 'component:default/order-service',
            localPath: 'shop',
            paths: ['services/order-service/.git'],
            targetPath: 'again',
            skipMissing: true,
          }).ctx,
        ),
      ).rejects.toThrow(/must be directory names/);
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [
      'a service that does not exist',
      { paths: ['services/payment-service'] },
      /services\/payment-service was not found in shop \(under the local publish root\)/,
    ],
    [
      'a monorepo that does not exist',
      { localPath: 'nowhere' },
      /^component:default\/order-service has its source at dir:\S+\/shop, not in localPath "nowhere" under the local publish root: check out the monorepo the service belongs to$/,
    ],
    [
      '..',
      { paths: ['services/../../x'] },
      /paths "shop\/services\/..\/..\/x" must be directory names/,
    ],
    ['an absolute path', { paths: ['/etc'] }, /must be directory names/],
    [
      'a backslash',
      { paths: ['services\\order-service'] },
      /must be directory names/,
    ],
    [
      'a symlink out of the root',
      { paths: ['services/escape'] },
      /paths "shop\/services\/escape" goes through a symlink \(shop\/services\/escape\) that leads outside the local publish root/,
    ],
    [
      'a symlink inside the tree',
      { paths: ['services/linked-service'] },
      /shop\/services\/linked-service: services\/linked-service\/secret is a symlink/,
    ],
    [
      'a symlinked directory inside the root',
      { paths: ['services/alias-service'] },
      /services\/alias-service goes through a symlink in shop/,
    ],
    [
      'a target outside the workspace',
      { targetPath: '../outside' },
      /targetPath "..\/outside" points outside the task workspace/,
    ],
  ])('refuses %s and copies nothing', async (_label, patch, message) => {
    const { s, root, action } = setup();
    try {
      fs.symlinkSync(s.outside, path.join(root, 'shop/services/escape'));
      writeFiles(path.join(root, 'shop/services/linked-service'), {
        'go.mod': 'module x\n',
      });
      fs.symlinkSync(
        path.join(s.outside, 'sentinel.txt'),
        path.join(root, 'shop/services/linked-service/secret'),
      );
      fs.symlinkSync(
        path.join(root, 'shop/services/order-service'),
        path.join(root, 'shop/services/alias-service'),
      );
      const input = {
        entityRef: 'order-service',
        localPath: 'shop',
        paths: ['services/order-service'],
        ...patch,
      };
      await expect(
        action.handler(actionContext(s.workspace, input).ctx),
      ).rejects.toThrow(message);
      expect(fs.readdirSync(s.workspace)).toEqual([]);
      expect(s.outsideListing()).toEqual(['sentinel.txt']);
    } finally {
      s.cleanup();
    }
  });

  // Issue 14: a dry run returned any service's files under the root, whoever asked.
  it.each([
    [
      'a service that is not in the catalog',
      'component:default/nope-service',
      /^component:default\/nope-service was not found in the catalog, or you may not read it: only services you can see in the catalog can be checked out$/,
    ],
    [
      'a service the caller may not read (the same answer)',
      'component:default/secret-service',
      /^component:default\/secret-service was not found in the catalog, or you may not read it/,
    ],
    [
      'a service of another monorepo',
      'other-service',
      /^component:default\/other-service has its source at dir:\S+\/other, not in localPath "shop"/,
    ],
    [
      'a service whose source is a URL',
      'url-service',
      /^component:default\/url-service has its source at url:https:\/\/github.com\/acme\/shop\/tree\/main\/, not in localPath "shop"/,
    ],
    [
      'a service whose source is outside the local roots',
      'outside-service',
      /^component:default\/outside-service has its source at dir:\/etc\/, not in localPath "shop"/,
    ],
    [
      'a service whose source escapes the root with ..',
      'escaping-service',
      /^component:default\/escaping-service has its source at dir:\S+\/shop\/..\/..\/outside\/, not in localPath "shop"/,
    ],
    [
      'a malformed entity reference',
      'component:',
      /^entityRef "component:" is not an entity reference/,
    ],
  ])(
    'refuses %s, in a dry run too, and copies nothing',
    async (_label, entityRef, message) => {
      const { s, action, catalog } = setup();
      try {
        const { ctx } = actionContext(s.workspace, {
          entityRef,
          localPath: 'shop',
          paths: ['services/order-service', 'api/proto'],
        });
        (ctx as { isDryRun?: boolean }).isDryRun = true;
        await expect(action.handler(ctx)).rejects.toThrow(message);
        expect(fs.readdirSync(s.workspace)).toEqual([]);
        // Asked once with the task's credentials (not at all for a malformed ref).
        const credentials = await ctx.getInitiatorCredentials();
        expect(catalog.getEntityByRef.mock.calls.map(c => c[1])).toEqual(
          /malformed/.test(_label) ? [] : [{ credentials }],
        );
      } finally {
        s.cleanup();
      }
    },
  );

  it('checks out the monorepo of a service the caller may read (alice and secret-service)', async () => {
    const { s, root, action } = setup();
    try {
      writeFiles(path.join(root, 'shop/services/secret-service'), {
        'go.mod': 'module secret\n',
      });
      const { ctx, outputs } = actionContext(s.workspace, {
        entityRef: 'secret-service',
        localPath: 'shop',
        paths: ['services/secret-service'],
      });
      (
        ctx as { getInitiatorCredentials: () => Promise<unknown> }
      ).getInitiatorCredentials = async () => mockCredentials.user(ALICE);
      await action.handler(ctx);
      expect(outputs.files).toEqual(['services/secret-service/go.mod']);
    } finally {
      s.cleanup();
    }
  });

  it('refuses to overwrite files already in the workspace', async () => {
    const { s, action } = setup();
    try {
      writeFiles(s.workspace, {
        'services/order-service/cmd/main.go': 'package mine\n',
      });
      await expect(
        action.handler(
          actionContext(s.workspace, {
            entityRef: 'order-service',
            localPath: 'shop',
            paths: ['services/order-service'],
          }).ctx,
        ),
      ).rejects.toThrow(
        /services\/order-service\/cmd\/main.go already exists in the workspace/,
      );
      expect(
        fs.readFileSync(
          path.join(s.workspace, 'services/order-service/cmd/main.go'),
          'utf8',
        ),
      ).toBe('package mine\n');
      expect(
        fs.existsSync(
          path.join(s.workspace, 'services/order-service/.golden-path'),
        ),
      ).toBe(false);
    } finally {
      s.cleanup();
    }
  });

  it('says how to configure a missing root', async () => {
    const s = makeSandbox();
    try {
      await expect(
        createLocalCheckoutAction({
          settings: testSettings(),
          catalog: catalogFor(s.root),
        }).handler(
          actionContext(s.workspace, {
            entityRef: 'order-service',
            localPath: 'shop',
            paths: ['api/proto'],
          }).ctx,
        ),
      ).rejects.toThrow(/set goldenPath.publish.local.allowedRoots/);
    } finally {
      s.cleanup();
    }
  });

  it.each(examples.map(e => [e.description, parse(e.example).steps[0].input]))(
    'runs the example: %s',
    async (_d, input) => {
      const { s, action } = setup();
      try {
        const { ctx, outputs } = actionContext(s.workspace, input);
        await action.handler(ctx);
        expect(outputs.files).toContain(
          '.golden-path-update/before/services/order-service/cmd/main.go',
        );
      } finally {
        s.cleanup();
      }
    },
  );
});
