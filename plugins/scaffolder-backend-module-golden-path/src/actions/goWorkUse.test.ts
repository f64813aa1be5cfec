import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { createGoWorkUseAction } from './goWorkUse';

function setup() {
  const box = makeSandbox();
  const root = path.join(box.root, 'repos');
  fs.mkdirSync(path.join(root, 'shop/services/order-service'), {
    recursive: true,
  });
  fs.writeFileSync(
    path.join(root, 'shop/services/order-service/go.mod'),
    'module x\n',
  );
  fs.writeFileSync(
    path.join(root, 'shop/go.work'),
    'go 1.26.0\n\nuse (\n\t./pkg\n)\n',
  );
  return {
    box,
    root,
    action: createGoWorkUseAction({
      settings: testSettings({ localRoots: [root] }),
    }),
  };
}

describe('golden-path:go:work-use', () => {
  it('adds the service to the local monorepo go.work once', async () => {
    const { box, root, action } = setup();
    const first = actionContext(box.workspace, {
      localPath: 'shop',
      dir: 'services/order-service',
    });
    await action.handler(first.ctx);
    expect(first.outputs.changed).toBe(true);
    expect(fs.readFileSync(path.join(root, 'shop/go.work'), 'utf8')).toBe(
      'go 1.26.0\n\nuse (\n\t./pkg\n\t./services/order-service\n)\n',
    );
    const again = actionContext(box.workspace, {
      localPath: 'shop',
      dir: 'services/order-service',
    });
    await action.handler(again.ctx);
    expect(again.outputs.changed).toBe(false);
    box.cleanup();
  });

  it.each([
    [{ localPath: 'shop', dir: '../x' }, 'must be a relative module directory'],
    [{ localPath: 'shop', dir: '/etc' }, 'must be a relative module directory'],
    [
      { localPath: 'shop', dir: 'services/missing' },
      'services/missing holds no go.mod',
    ],
    [{ localPath: '../shop', dir: 'services/order-service' }, 'localPath'],
    [{ dir: 'services/order-service' }, 'no go.work in .'],
  ])('refuses %j', async (input, message) => {
    const { box, root, action } = setup();
    await expect(
      action.handler(actionContext(box.workspace, input).ctx),
    ).rejects.toThrow(message);
    expect(fs.readFileSync(path.join(root, 'shop/go.work'), 'utf8')).toBe(
      'go 1.26.0\n\nuse (\n\t./pkg\n)\n',
    );
    box.cleanup();
  });

  it.each([
    [
      'a symlink to a file outside the root',
      (outside: string) => path.join(outside, 'sentinel.txt'),
    ],
    [
      'a dangling symlink',
      (outside: string) => path.join(outside, 'missing.work'),
    ],
  ])(
    'refuses a go.work that is %s and writes nothing through it',
    async (_label, linkTo) => {
      const { box, root, action } = setup();
      try {
        fs.rmSync(path.join(root, 'shop/go.work'));
        fs.symlinkSync(linkTo(box.outside), path.join(root, 'shop/go.work'));
        await expect(
          action.handler(
            actionContext(box.workspace, {
              localPath: 'shop',
              dir: 'services/order-service',
            }).ctx,
          ),
        ).rejects.toThrow(
          /^go.work "shop\/go.work" is a symlink; symlinks are not followed here/,
        );
        expect(box.outsideListing()).toEqual(['sentinel.txt']);
        expect(
          fs.readFileSync(path.join(box.outside, 'sentinel.txt'), 'utf8'),
        ).toBe('untouched');
      } finally {
        box.cleanup();
      }
    },
  );

  // Before: existsSync followed the link, so the step told whether the host
  // directory holds a go.mod, and wrote a use of it into go.work.
  it('refuses a module directory linked out of the publish root, without probing it', async () => {
    const { box, root, action } = setup();
    try {
      fs.mkdirSync(path.join(box.outside, 'mod'));
      fs.writeFileSync(path.join(box.outside, 'mod/go.mod'), 'module host\n');
      fs.symlinkSync(
        path.join(box.outside, 'mod'),
        path.join(root, 'shop/services/host-service'),
      );
      const { ctx } = actionContext(box.workspace, {
        localPath: 'shop',
        dir: 'services/host-service',
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        /^dir "shop\/services\/host-service\/go\.mod" goes through a symlink \(shop\/services\/host-service\) that leads outside the local publish root$/,
      );
      expect(
        fs.readFileSync(path.join(root, 'shop/go.work'), 'utf8'),
      ).not.toContain('host-service');
    } finally {
      box.cleanup();
    }
  });
});
