import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { createCatalogRegisterAction } from './catalogRegister';
import { createPublishLocalAction } from './publishLocal';

const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop-platform
spec:
  owner: group:default/platform-team
`;

describe('golden-path:publish:local', () => {
  it('publishes the workspace under the root and refuses to overwrite it', async () => {
    const s = makeSandbox({
      'catalog-info.yaml': CATALOG_INFO,
      'go.work': 'go 1.26\n',
      'pkg/go.mod': 'module x\n',
    });
    try {
      const root = path.join(s.root, 'repos');
      const deps = { settings: testSettings({ localRoots: [root] }) };
      const { ctx, outputs } = actionContext(s.workspace, {
        path: 'shop-platform',
      });
      await createPublishLocalAction(deps).handler(ctx);
      expect(outputs.filesWritten).toEqual([
        'catalog-info.yaml',
        'go.work',
        'pkg/go.mod',
      ]);
      expect(
        fs.readFileSync(path.join(root, 'shop-platform/pkg/go.mod'), 'utf8'),
      ).toBe('module x\n');
      await expect(
        createPublishLocalAction(deps).handler(
          actionContext(s.workspace, { path: 'shop-platform' }).ctx,
        ),
      ).rejects.toThrow(
        /^shop-platform already exists under the local publish root and is not empty; choose another directory name$/,
      );
      await expect(
        createPublishLocalAction(deps).handler(
          actionContext(s.workspace, {
            path: 'shop-platform',
            mode: 'merge',
            allowOverwrite: ['go.work'],
          }).ctx,
        ),
      ).rejects.toThrow(
        /catalog-info.yaml already exists .*refusing to overwrite it/,
      );
    } finally {
      s.cleanup();
    }
  });

  it.each([
    ['../escape', /must be directory names/],
    ['/abs', /must be directory names/],
    ['a/../../b', /must be directory names/],
    ['a\\b', /must be directory names/],
    ['link/x', /leads outside the local publish root/],
  ])('refuses path %j', async (p, message) => {
    const s = makeSandbox({ 'a.txt': 'a' });
    try {
      const root = path.join(s.root, 'repos');
      fs.mkdirSync(root);
      fs.symlinkSync(s.outside, path.join(root, 'link'));
      const deps = { settings: testSettings({ localRoots: [root] }) };
      await expect(
        createPublishLocalAction(deps).handler(
          actionContext(s.workspace, { path: p }).ctx,
        ),
      ).rejects.toThrow(message);
      expect(s.outsideListing()).toEqual(['sentinel.txt']);
    } finally {
      s.cleanup();
    }
  });

  // Issue 14, hole 7: existsSync is false for a dangling symlink, so the write went through it.
  it.each([
    [
      'a dangling symlink leading out, allowed to be overwritten',
      (s: { outside: string }, target: string) =>
        fs.symlinkSync(
          path.join(s.outside, 'pwned'),
          path.join(target, 'catalog-info.yaml'),
        ),
      ['catalog-info.yaml'],
      /^destination in shop-platform "catalog-info.yaml" is a symlink; symlinks are not followed here/,
    ],
    [
      'a dangling symlink leading out, not allowed to be overwritten',
      (s: { outside: string }, target: string) =>
        fs.symlinkSync(
          path.join(s.outside, 'pwned'),
          path.join(target, 'catalog-info.yaml'),
        ),
      [],
      /^catalog-info.yaml already exists in shop-platform \(under the local publish root\); refusing to overwrite it: list it in allowOverwrite to replace it$/,
    ],
    [
      'a symlink to a file outside',
      (s: { outside: string }, target: string) =>
        fs.symlinkSync(
          path.join(s.outside, 'sentinel.txt'),
          path.join(target, 'go.work'),
        ),
      ['go.work'],
      /^destination in shop-platform "go.work" is a symlink/,
    ],
    [
      'a symlinked directory staying inside the root',
      (_s: unknown, target: string) => {
        fs.mkdirSync(path.join(target, '../elsewhere'));
        fs.symlinkSync(
          path.join(target, '../elsewhere'),
          path.join(target, 'pkg'),
        );
      },
      [],
      /^destination in shop-platform "pkg\/go.mod" goes through a symlink \(pkg\)/,
    ],
  ])(
    'merge refuses %s at a destination and writes nothing',
    async (_label, link, allowOverwrite, message) => {
      const s = makeSandbox({
        'catalog-info.yaml': CATALOG_INFO,
        'go.work': 'go 1.26\n',
        'pkg/go.mod': 'module x\n',
      });
      try {
        const root = path.join(s.root, 'repos');
        const target = path.join(root, 'shop-platform');
        fs.mkdirSync(target, { recursive: true });
        fs.writeFileSync(path.join(target, 'README.md'), 'mine\n');
        link(s, target);
        const deps = { settings: testSettings({ localRoots: [root] }) };
        const input = { path: 'shop-platform', mode: 'merge', allowOverwrite };
        await expect(
          createPublishLocalAction(deps).handler(
            actionContext(s.workspace, input).ctx,
          ),
        ).rejects.toThrow(message);
        expect(s.outsideListing()).toEqual(['sentinel.txt']);
        expect(
          fs.readFileSync(path.join(s.outside, 'sentinel.txt'), 'utf8'),
        ).toBe('untouched');
        expect(fs.readdirSync(target).sort()).toEqual(
          [
            'README.md',
            ...['catalog-info.yaml', 'go.work', 'pkg'].filter(f =>
              fs.lstatSync(path.join(target, f), { throwIfNoEntry: false }),
            ),
          ].sort(),
        );
        expect(fs.existsSync(path.join(root, 'elsewhere/go.mod'))).toBe(false);
      } finally {
        s.cleanup();
      }
    },
  );

  it('says how to configure a missing root', async () => {
    const s = makeSandbox({ 'a.txt': 'a' });
    try {
      await expect(
        createPublishLocalAction({ settings: testSettings() }).handler(
          actionContext(s.workspace, { path: 'x' }).ctx,
        ),
      ).rejects.toThrow(/set goldenPath.publish.local.allowedRoots/);
    } finally {
      s.cleanup();
    }
  });
});

describe('golden-path:catalog:register', () => {
  it('registers a published directory and waits until the entity is readable', async () => {
    const s = makeSandbox();
    try {
      const root = path.join(s.root, 'repos');
      fs.mkdirSync(path.join(root, 'shop-platform'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'shop-platform/catalog-info.yaml'),
        CATALOG_INFO,
      );
      const catalog = catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'System',
            metadata: { name: 'shop-platform' },
            spec: {},
          },
        ],
      });
      const addLocation = jest.spyOn(catalog, 'addLocation').mockResolvedValue({
        location: {} as any,
        entities: [],
        exists: false,
      });
      const { ctx, outputs } = actionContext(s.workspace, {
        localPath: 'shop-platform',
      });
      await createCatalogRegisterAction({
        settings: testSettings({ localRoots: [root] }),
        catalog,
      }).handler(ctx);
      expect(addLocation).toHaveBeenCalledWith(
        {
          type: 'file',
          target: path.join(
            fs.realpathSync(root),
            'shop-platform/catalog-info.yaml',
          ),
        },
        expect.objectContaining({ credentials: expect.anything() }),
      );
      expect(outputs.entityRef).toBe('system:default/shop-platform');
      expect(outputs.entityUrl).toBe('/catalog/default/system/shop-platform');
    } finally {
      s.cleanup();
    }
  });

  it('fails with a clear message when the entity never becomes readable', async () => {
    const s = makeSandbox();
    try {
      const catalog = catalogServiceMock({ entities: [] });
      jest.spyOn(catalog, 'addLocation').mockResolvedValue({
        location: {} as any,
        entities: [],
        exists: false,
      });
      const { ctx } = actionContext(s.workspace, {
        catalogInfoUrl: 'https://github.com/acme/x/blob/main/catalog-info.yaml',
        entityRef: 'component:default/x',
        waitSeconds: 0,
      });
      await expect(
        createCatalogRegisterAction({
          settings: testSettings(),
          catalog,
        }).handler(ctx),
      ).rejects.toThrow(
        /component:default\/x was registered but is not readable yet/,
      );
    } finally {
      s.cleanup();
    }
  });

  it('asks for a refresh while the entity is not readable (claimed by another location whose processing failed)', async () => {
    const s = makeSandbox();
    try {
      const catalog = catalogServiceMock({ entities: [] });
      jest.spyOn(catalog, 'addLocation').mockResolvedValue({
        location: {} as any,
        entities: [],
        exists: false,
      });
      // readable only once it was processed again
      let refreshed = false;
      const refreshEntity = jest
        .spyOn(catalog, 'refreshEntity')
        .mockImplementation(async () => {
          refreshed = true;
        });
      jest.spyOn(catalog, 'getEntityByRef').mockImplementation(async () =>
        refreshed
          ? {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'x', namespace: 'default' },
            }
          : undefined,
      );
      const { ctx, outputs } = actionContext(s.workspace, {
        catalogInfoUrl: 'https://github.com/acme/x/blob/main/catalog-info.yaml',
        entityRef: 'component:default/x',
        waitSeconds: 10,
      });
      await createCatalogRegisterAction({
        settings: testSettings(),
        catalog,
      }).handler(ctx);
      expect(refreshEntity).toHaveBeenCalledWith(
        'component:default/x',
        expect.objectContaining({ credentials: expect.anything() }),
      );
      expect(outputs.entityRef).toBe('component:default/x');
    } finally {
      s.cleanup();
    }
  }, 20_000);

  it('asks for a refresh of the registered location too (its processing lost a race: a conflicting write)', async () => {
    const s = makeSandbox();
    try {
      const target = 'https://github.com/acme/x/blob/main/catalog-info.yaml';
      const locationEntity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { name: 'generated-abc', namespace: 'default' },
        spec: { type: 'url', target },
      };
      const other = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { name: 'other', namespace: 'default' },
        spec: { type: 'url', target: `${target}.other` },
      };
      const catalog = catalogServiceMock({ entities: [locationEntity, other] });
      jest.spyOn(catalog, 'addLocation').mockResolvedValue({
        location: {} as any,
        entities: [],
        exists: false,
      });
      // the component is readable only once its location was processed again
      let locationRefreshed = false;
      const refreshEntity = jest
        .spyOn(catalog, 'refreshEntity')
        .mockImplementation(async entityRef => {
          if (entityRef === 'location:default/generated-abc')
            locationRefreshed = true;
        });
      jest.spyOn(catalog, 'getEntityByRef').mockImplementation(async () => {
        if (!locationRefreshed) return undefined;
        return {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'x', namespace: 'default' },
        };
      });
      const { ctx, outputs } = actionContext(s.workspace, {
        catalogInfoUrl: target,
        entityRef: 'component:default/x',
        waitSeconds: 10,
      });
      await createCatalogRegisterAction({
        settings: testSettings(),
        catalog,
      }).handler(ctx);
      expect(outputs.entityRef).toBe('component:default/x');
      const refreshed = refreshEntity.mock.calls.map(([r]) => r);
      expect(refreshed).toContain('location:default/generated-abc');
      expect(refreshed).not.toContain('location:default/other');
    } finally {
      s.cleanup();
    }
  }, 20_000);

  it.each([
    [
      'a symlinked directory leading out of the root',
      'link/catalog-info.yaml',
      /^catalogInfoPath "shop-platform\/link\/catalog-info.yaml" goes through a symlink \(shop-platform\/link\) that leads outside the local publish root$/,
    ],
    [
      'a .. escape',
      '../../outside/sentinel.txt',
      /^catalogInfoPath "..\/outside\/sentinel.txt" points outside the local publish root$/,
    ],
    [
      'an absolute path',
      '/etc/passwd',
      /^catalogInfoPath "\/etc\/passwd" is absolute; give a path relative to localPath$/,
    ],
    [
      'a missing file',
      'nope.yaml',
      /^catalogInfoPath "nope.yaml" is not a file in shop-platform under the local publish root: publish first$/,
    ],
  ])(
    'refuses a catalogInfoPath through %s and registers nothing',
    async (_label, catalogInfoPath, message) => {
      const s = makeSandbox();
      try {
        const root = path.join(s.root, 'repos');
        fs.mkdirSync(path.join(root, 'shop-platform'), { recursive: true });
        fs.writeFileSync(
          path.join(s.outside, 'catalog-info.yaml'),
          CATALOG_INFO,
        );
        fs.symlinkSync(s.outside, path.join(root, 'shop-platform/link'));
        const catalog = catalogServiceMock({ entities: [] });
        const addLocation = jest.spyOn(catalog, 'addLocation');
        const { ctx } = actionContext(s.workspace, {
          localPath: 'shop-platform',
          catalogInfoPath,
        });
        await expect(
          createCatalogRegisterAction({
            settings: testSettings({ localRoots: [root] }),
            catalog,
          }).handler(ctx),
        ).rejects.toThrow(message);
        expect(addLocation).not.toHaveBeenCalled();
      } finally {
        s.cleanup();
      }
    },
  );
});
