import fs from 'node:fs';
import path from 'node:path';
import { templateService, tempDir, writeTree } from '../__testUtils__/monorepo';
import { LocalMonorepoSource } from './localSource';

/*
 * The local source on a real directory: which directories are monorepos and
 * services, and every way a symlink or an odd file could lead it outside the
 * root. Nothing outside the root is ever read; each refusal is one line.
 */
let base: string;
let root: string;
let outside: string;
beforeEach(() => {
  base = tempDir('gp-discovery-local-');
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  writeTree(outside, {
    'secret.yaml':
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: secret }\n',
    ...templateService('stolen', 'outside'),
  });
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

async function read(maxFileBytes = 1024 * 1024) {
  const warnings: string[] = [];
  const services = await new LocalMonorepoSource(root, {
    maxFileBytes,
  }).readServices(l => warnings.push(l));
  return { services, warnings };
}

describe('LocalMonorepoSource', () => {
  it('finds services/*-service in every monorepo under the root, in a stable order', async () => {
    writeTree(path.join(root, 'shop'), {
      ...templateService('order'),
      ...templateService('payment'),
    });
    writeTree(path.join(root, 'bank'), templateService('ledger', 'bank'));
    writeTree(path.join(root, 'shop'), {
      'services/README.md': 'not a service',
      'services/tools/main.go': 'package main',
      'services/.hidden-service/catalog-info.yaml': 'x',
    });
    writeTree(root, {
      'notes.txt': 'a file, not a monorepo',
      'empty/.keep': '',
    });
    const { services, warnings } = await read();
    expect(warnings).toEqual([]);
    expect(
      services.map(s => [s.monorepo, s.serviceDir, s.location.target]),
    ).toEqual([
      [
        path.join(root, 'bank'),
        'services/ledger-service',
        path.join(root, 'bank/services/ledger-service/catalog-info.yaml'),
      ],
      [
        path.join(root, 'shop'),
        'services/order-service',
        path.join(root, 'shop/services/order-service/catalog-info.yaml'),
      ],
      [
        path.join(root, 'shop'),
        'services/payment-service',
        path.join(root, 'shop/services/payment-service/catalog-info.yaml'),
      ],
    ]);
    expect(services[0].catalogInfo?.toString()).toContain(
      'name: ledger-service',
    );
    expect(JSON.parse(services[0].values!.toString()).values.name).toBe(
      'ledger',
    );
  });

  it('treats the root itself as a monorepo when it has services/', async () => {
    writeTree(root, templateService('order'));
    const { services } = await read();
    expect(services.map(s => s.location.target)).toEqual([
      path.join(root, 'services/order-service/catalog-info.yaml'),
    ]);
    expect(
      (
        await services[0].readRelative!(
          '../../api/proto/order/v1/order_service.proto',
        )
      )?.toString(),
    ).toContain('package order.v1');
  });

  it('holds nothing when the root does not exist yet', async () => {
    fs.rmSync(root, { recursive: true });
    expect(await read()).toEqual({ services: [], warnings: [] });
  });

  it('throws when the root cannot be listed, so the provider keeps what it had', async () => {
    fs.rmSync(root, { recursive: true });
    fs.writeFileSync(root, 'a file where the root should be');
    await expect(read()).rejects.toThrow(/ENOTDIR/);
  });

  it('follows a symlink that stays under the root', async () => {
    writeTree(path.join(root, 'real'), templateService('order'));
    fs.symlinkSync('real', path.join(root, 'alias'));
    const { services, warnings } = await read();
    expect(warnings).toEqual([]);
    expect(services.map(s => s.location.target)).toEqual([
      path.join(root, 'alias/services/order-service/catalog-info.yaml'),
      path.join(root, 'real/services/order-service/catalog-info.yaml'),
    ]);
  });

  const ORDER = 'shop/services/order-service';
  // [what, link target (under the base dir), the link (under the root), the path refused, the problem]
  it.each([
    [
      'a monorepo',
      'outside',
      'shop',
      'shop/services',
      'path "shop/services" goes through a symlink (shop)',
    ],
    [
      'a services directory',
      'outside/services',
      'shop/services',
      'shop/services',
      'goes through a symlink (shop/services) that leads outside',
    ],
    [
      'a service directory',
      'outside/services/stolen-service',
      'shop/services/stolen-service',
      'shop/services/stolen-service',
      'goes through a symlink (shop/services/stolen-service) that leads outside',
    ],
    [
      'a catalog-info.yaml',
      'outside/secret.yaml',
      `${ORDER}/catalog-info.yaml`,
      `${ORDER}/catalog-info.yaml`,
      'leads outside the discovery root',
    ],
    [
      'values.json through a symlinked .golden-path',
      'outside/services/stolen-service/.golden-path',
      `${ORDER}/.golden-path`,
      `${ORDER}/.golden-path/values.json`,
      `goes through a symlink (${ORDER}/.golden-path) that leads outside`,
    ],
    [
      'a dangling catalog-info.yaml',
      'nowhere.yaml',
      `${ORDER}/catalog-info.yaml`,
      `${ORDER}/catalog-info.yaml`,
      'is a dangling symlink',
    ],
  ])(
    'refuses %s symlinked out of the root, with one line naming it',
    async (_what, target, link, rel, problem) => {
      fs.mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
      fs.symlinkSync(path.join(base, target), path.join(root, link));
      const { services, warnings } = await read();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`${path.join(root, rel)}: `);
      expect(warnings[0]).toContain(problem);
      for (const s of services) {
        expect(s.catalogInfo).toBeUndefined();
        expect(s.values).toBeUndefined();
      }
    },
  );

  it('refuses a catalog-info.yaml that is a directory or larger than the limit, reading nothing of it', async () => {
    writeTree(path.join(root, 'shop'), {
      'services/a-service/catalog-info.yaml/x': 'a directory',
      'services/b-service/catalog-info.yaml': 'x'.repeat(2048),
    });
    const { services, warnings } = await read(1024);
    expect(services.map(s => s.catalogInfo)).toEqual([undefined, undefined]);
    expect(warnings).toEqual([
      `${path.join(
        root,
        'shop/services/a-service/catalog-info.yaml',
      )}: is not a regular file; skipped`,
      `${path.join(
        root,
        'shop/services/b-service/catalog-info.yaml',
      )}: is 2048 bytes, more than the 1024 bytes a discovered file may have (goldenPath.discovery.maxFileBytes); skipped`,
    ]);
  });

  it('reads relative files only inside the service monorepo', async () => {
    writeTree(path.join(root, 'shop'), templateService('order'));
    writeTree(path.join(root, 'bank'), templateService('ledger', 'bank'));
    fs.symlinkSync(
      path.join(outside, 'secret.yaml'),
      path.join(root, 'shop/api/link.yaml'),
    );
    const [, order] = (await read()).services;
    expect(order.serviceDir).toBe('services/order-service');
    await expect(
      order.readRelative!(
        '../../../bank/api/proto/ledger/v1/ledger_service.proto',
      ),
    ).rejects.toThrow(`points outside the monorepo ${path.join(root, 'shop')}`);
    await expect(order.readRelative!('/etc/passwd')).rejects.toThrow(
      'points outside the monorepo',
    );
    await expect(order.readRelative!('../../api/link.yaml')).rejects.toThrow(
      'leads outside the discovery root',
    );
    expect(
      await order.readRelative!('../../api/proto/none.proto'),
    ).toBeUndefined();
  });
});
