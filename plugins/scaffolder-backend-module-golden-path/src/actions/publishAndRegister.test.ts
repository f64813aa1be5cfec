import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { actionContext, makeSandbox, testSettings } from '../__testUtils__/context';
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
    const s = makeSandbox({ 'catalog-info.yaml': CATALOG_INFO, 'go.work': 'go 1.26\n', 'pkg/go.mod': 'module x\n' });
    try {
      const root = path.join(s.root, 'repos');
      const deps = { settings: testSettings({ localRoots: [root] }) };
      const { ctx, outputs } = actionContext(s.workspace, { path: 'shop-platform' });
      await createPublishLocalAction(deps).handler(ctx);
      expect(outputs.filesWritten).toEqual(['catalog-info.yaml', 'go.work', 'pkg/go.mod']);
      expect(fs.readFileSync(path.join(root, 'shop-platform/pkg/go.mod'), 'utf8')).toBe('module x\n');
      await expect(
        createPublishLocalAction(deps).handler(actionContext(s.workspace, { path: 'shop-platform' }).ctx),
      ).rejects.toThrow(/already exists and is not empty/);
      await expect(
        createPublishLocalAction(deps).handler(
          actionContext(s.workspace, { path: 'shop-platform', mode: 'merge', allowOverwrite: ['go.work'] }).ctx,
        ),
      ).rejects.toThrow(/catalog-info.yaml already exists .*refusing to overwrite it/);
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
      await expect(createPublishLocalAction(deps).handler(actionContext(s.workspace, { path: p }).ctx)).rejects.toThrow(
        message,
      );
      expect(s.outsideListing()).toEqual(['sentinel.txt']);
    } finally {
      s.cleanup();
    }
  });

  it('says how to configure a missing root', async () => {
    const s = makeSandbox({ 'a.txt': 'a' });
    try {
      await expect(
        createPublishLocalAction({ settings: testSettings() }).handler(actionContext(s.workspace, { path: 'x' }).ctx),
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
      fs.writeFileSync(path.join(root, 'shop-platform/catalog-info.yaml'), CATALOG_INFO);
      const catalog = catalogServiceMock({
        entities: [{ apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'shop-platform' }, spec: {} }],
      });
      const addLocation = jest
        .spyOn(catalog, 'addLocation')
        .mockResolvedValue({ location: {} as any, entities: [], exists: false });
      const { ctx, outputs } = actionContext(s.workspace, { localPath: 'shop-platform' });
      await createCatalogRegisterAction({ settings: testSettings({ localRoots: [root] }), catalog }).handler(ctx);
      expect(addLocation).toHaveBeenCalledWith(
        { type: 'file', target: path.join(fs.realpathSync(root), 'shop-platform/catalog-info.yaml') },
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
      jest.spyOn(catalog, 'addLocation').mockResolvedValue({ location: {} as any, entities: [], exists: false });
      const { ctx } = actionContext(s.workspace, {
        catalogInfoUrl: 'https://github.com/acme/x/blob/main/catalog-info.yaml',
        entityRef: 'component:default/x',
        waitSeconds: 0,
      });
      await expect(createCatalogRegisterAction({ settings: testSettings(), catalog }).handler(ctx)).rejects.toThrow(
        /component:default\/x was registered but is not readable yet/,
      );
    } finally {
      s.cleanup();
    }
  });
});
