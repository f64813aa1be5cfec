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

function setup() {
  const s = makeSandbox();
  const root = path.join(s.root, 'repos');
  writeFiles(path.join(root, 'shop'), {
    'go.work': 'go 1.26.0\n',
    'services/order-service/cmd/main.go': 'package main\n',
    'services/order-service/.golden-path/values.json': '{}\n',
    'services/order-service/.git/config': '[core]\n',
    'api/proto/buf.yaml': 'version: v2\n',
    'api/proto/order/v1/order_service.proto': 'syntax = "proto3";\n',
    'pkg/proto/order/v1/order_service.pb.go': 'package orderv1\n',
  });
  fs.chmodSync(
    path.join(root, 'shop/services/order-service/cmd/main.go'),
    0o755,
  );
  return {
    s,
    root,
    action: createLocalCheckoutAction({
      settings: testSettings({ localRoots: [root] }),
    }),
  };
}

describe('golden-path:local:checkout', () => {
  it('copies the paths into the workspace, keeping paths and modes, skipping .git', async () => {
    const { s, action } = setup();
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
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
        fs.existsSync(
          path.join(s.workspace, 'before/services/order-service/.git'),
        ),
      ).toBe(false);
      expect(fs.existsSync(path.join(s.workspace, 'before/go.work'))).toBe(
        false,
      );
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
      /localPath "nowhere" does not exist under the local publish root/,
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

  it('refuses to overwrite files already in the workspace', async () => {
    const { s, action } = setup();
    try {
      writeFiles(s.workspace, {
        'services/order-service/cmd/main.go': 'package mine\n',
      });
      await expect(
        action.handler(
          actionContext(s.workspace, {
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
        createLocalCheckoutAction({ settings: testSettings() }).handler(
          actionContext(s.workspace, {
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
