import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { actionContext, makeSandbox } from '../__testUtils__/context';
import { createTeamWriteAction } from './teamWrite';

const existing = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'platform-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

function action(visibleToUser = true) {
  const catalog = catalogServiceMock({ entities: [existing] });
  if (!visibleToUser) {
    const real = catalog.getEntityByRef.bind(catalog);
    jest
      .spyOn(catalog, 'getEntityByRef')
      .mockImplementation(async (ref, options) =>
        (options as any)?.credentials?.principal?.type === 'user'
          ? undefined
          : real(ref, options),
      );
  }
  return createTeamWriteAction({ catalog, auth: mockServices.auth() });
}

describe('golden-path:team:write', () => {
  it('writes a valid Group for a new team', async () => {
    const box = makeSandbox();
    const { ctx, outputs } = actionContext(box.workspace, {
      name: 'team-orders',
      displayName: 'Orders team',
      parent: 'group:default/platform-team',
    });
    await action().handler(ctx);
    const group = parse(
      fs.readFileSync(path.join(box.workspace, 'org/team-orders.yaml'), 'utf8'),
    );
    expect(group).toMatchObject({
      kind: 'Group',
      metadata: { name: 'team-orders' },
      spec: {
        type: 'team',
        profile: { displayName: 'Orders team' },
        parent: 'group:default/platform-team',
        children: [],
      },
    });
    expect(outputs).toEqual({
      entityRef: 'group:default/team-orders',
      path: 'org/team-orders.yaml',
    });
    box.cleanup();
  });

  it.each([
    [
      { name: 'platform-team' },
      true,
      /the team group:default\/platform-team already exists/,
    ],
    [{ name: 'platform-team' }, false, /already exists but you may not see it/],
    [
      { name: 'Team Orders' },
      true,
      /team name "Team Orders" must be lowercase/,
    ],
    [
      { name: 'a'.repeat(64) },
      true,
      /must be lowercase letters, digits and hyphens \(at most 63\)/,
    ],
    [
      { name: 'team-x', parent: 'system:default/shop' },
      true,
      /parent "system:default\/shop" must be a Group ref/,
    ],
    [{ name: 'team-x', targetPath: '../x.yaml' }, true, /targetPath/],
  ])('refuses %o', async (input, visible, message) => {
    const box = makeSandbox();
    await expect(
      action(visible).handler(actionContext(box.workspace, input).ctx),
    ).rejects.toThrow(message);
    expect(fs.existsSync(path.join(box.workspace, 'org'))).toBe(false);
    expect(box.outsideListing()).toEqual(['sentinel.txt']);
    box.cleanup();
  });
});
