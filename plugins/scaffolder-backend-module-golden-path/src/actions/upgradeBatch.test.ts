import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { actionContext, makeSandbox } from '../__testUtils__/context';
import { batchTable, createUpgradeBatchAction } from './upgradeBatch';

const row = {
  service: 'order-service',
  result: 'upgraded',
  branch: 'golden-path/upgrade-order-service-0123456789ab',
  pullRequest: '',
  added: 1,
  updated: 2,
  merged: 1,
  deleted: 1,
  conflicts: 0,
  detail: '1.0.0 → 1.1.0',
  taskId: 't1',
  seconds: 42,
};

describe('golden-path:upgrade:batch', () => {
  it('tabulates one row per service', () => {
    expect(
      batchTable([
        row,
        {
          ...row,
          service: 'ledger-service',
          result: 'refused',
          branch: '',
          added: 0,
          updated: 0,
          merged: 0,
          deleted: 0,
          detail: 'a | b\nc',
        },
      ]),
    ).toBe(
      [
        '| Service | Result | Branch | Pull request | Added | Updated | Merged | Deleted | Conflicts | Seconds | Detail |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        '| order-service | upgraded | `golden-path/upgrade-order-service-0123456789ab` |  | 1 | 2 | 1 | 1 | 0 | 42 | 1.0.0 → 1.1.0 |',
        '| ledger-service | refused |  |  | 0 | 0 | 0 | 0 | 0 | 42 | a \\| b c |',
      ].join('\n'),
    );
  });

  it('refuses a batch without services, system or owner, and a system without Go services, in one line', async () => {
    const s = makeSandbox();
    const action = createUpgradeBatchAction({
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'web' },
            spec: { type: 'service', system: 'system:default/shop' },
          },
        ],
      }),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
    });
    try {
      const run = (input: Record<string, unknown>) => {
        const { ctx } = actionContext(s.workspace, {
          templateRef: 'template:default/upgrade-service',
          localPath: 'shop',
          ...input,
        });
        return action.handler(ctx);
      };
      await expect(run({})).rejects.toThrow(
        'give the services, or exactly one of system and owner, to choose the services to upgrade',
      );
      await expect(run({ system: 'shop' })).rejects.toThrow(
        'system:default/shop has no Go service made by the Go service template in the catalog (or none you may read)',
      );
    } finally {
      s.cleanup();
    }
  });

  it('refuses a batch without the place to publish to, in one line', async () => {
    const s = makeSandbox();
    const action = createUpgradeBatchAction({
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
    });
    try {
      const run = (input: Record<string, unknown>) =>
        action.handler(
          actionContext(s.workspace, {
            templateRef: 'template:default/upgrade-service',
            services: ['order-service'],
            ...input,
          }).ctx,
        );
      await expect(run({})).rejects.toThrow(
        /^localPath is missing: name the monorepo directory under the local publish root, or publish to a forge with repoUrl$/,
      );
      await expect(run({ publishTo: 'gitea' })).rejects.toThrow(
        /^repoUrl is missing: name the monorepo's repository on Gitea \(<host>\?owner=<owner>&repo=<name>\)$/,
      );
    } finally {
      s.cleanup();
    }
  });

  it('runs one upgrade task per service with the forge it publishes to, and tabulates their pull requests', async () => {
    const s = makeSandbox();
    const posted: any[] = [];
    // The scaffolder's task API: each task completes at once with an upgrade output.
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        if (req.method === 'POST' && req.url === '/v2/tasks') {
          posted.push(JSON.parse(body));
          res.end(JSON.stringify({ id: `t${posted.length}` }));
          return;
        }
        const m = /^\/v2\/tasks\/(t\d+)(\/events)?$/.exec(req.url ?? '');
        if (!m) {
          res.statusCode = 404;
          res.end('{}');
          return;
        }
        const values = posted[Number(m[1].slice(1)) - 1].values;
        const name = values.service.replace(/^component:default\//, '');
        if (!m[2]) {
          res.end(JSON.stringify({ id: m[1], status: 'completed' }));
          return;
        }
        res.end(
          JSON.stringify([
            {
              type: 'completion',
              body: {
                output: {
                  upgrade: {
                    service: name,
                    upToDate: false,
                    from: '1.0.0',
                    to: '1.1.0',
                    branch: `golden-path/upgrade-${name}-0123456789ab`,
                    pullRequest: `http://gitea.test/acme/shop/pulls/${posted.length}`,
                    added: ['a'],
                    updated: [],
                    merged: ['b', 'c'],
                    deleted: [],
                    conflicts: [],
                  },
                },
              },
            },
          ]),
        );
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const action = createUpgradeBatchAction({
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => `http://127.0.0.1:${port}`,
      }),
    });
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        templateRef: 'template:default/upgrade-service',
        services: ['order-service', 'component:default/ledger-service'],
        publishTo: 'gitea',
        repoUrl: 'gitea.test?owner=acme&repo=shop',
        onConflict: 'markers',
        concurrency: 1,
      });
      await action.handler(ctx);
      expect(posted.map(p => p.values)).toEqual([
        {
          service: 'component:default/order-service',
          publishTo: 'gitea',
          repoUrl: 'gitea.test?owner=acme&repo=shop',
          targetBranch: 'main',
          onConflict: 'markers',
        },
        {
          service: 'component:default/ledger-service',
          publishTo: 'gitea',
          repoUrl: 'gitea.test?owner=acme&repo=shop',
          targetBranch: 'main',
          onConflict: 'markers',
        },
      ]);
      expect(outputs.upgraded).toBe(2);
      expect(outputs.failed).toBe(0);
      expect(outputs.results.map((r: any) => r.pullRequest)).toEqual([
        'http://gitea.test/acme/shop/pulls/1',
        'http://gitea.test/acme/shop/pulls/2',
      ]);
      expect(outputs.table.split('\n')[2]).toMatch(
        /^\| order-service \| upgraded \| `golden-path\/upgrade-order-service-0123456789ab` \| http:\/\/gitea\.test\/acme\/shop\/pulls\/1 \| 1 \| 0 \| 2 \| 0 \| 0 \| \d+ \| 1\.0\.0 → 1\.1\.0 \|$/,
      );
    } finally {
      server.close();
      s.cleanup();
    }
  });
});
