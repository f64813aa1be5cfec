import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { goldenPathBackend } from './feature';

/** A plugin that records whether the backend initialised it. */
function probe() {
  const seen = { init: false };
  const plugin = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init() {
          seen.init = true;
        },
      });
    },
  });
  return { plugin, seen };
}

const replicated = (data: object) =>
  mockServices.rootConfig.factory({
    data: {
      backend: {
        database: { client: 'pg', connection: 'postgres://db' },
        cache: { store: 'redis', connection: 'redis://127.0.0.1:6379' },
      },
      ...data,
    },
  });

describe('goldenPathBackend', () => {
  it('installs the golden-path plugin when the replica settings hold', async () => {
    const { plugin, seen } = probe();
    const { server } = await startTestBackend({
      features: [
        goldenPathBackend,
        plugin,
        catalogServiceMock.factory({ entities: [] }),
        replicated({ goldenPath: { replicated: true } }),
      ],
    });
    expect(seen.init).toBe(true);
    const res = await request(server)
      .get('/api/golden-path/insights-cache')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
  });
});

describe('bad input: a replica with local-only settings', () => {
  it('refuses before any plugin of the backend initialises', async () => {
    const { plugin, seen } = probe();
    await expect(
      startTestBackend({
        features: [
          goldenPathBackend,
          plugin,
          catalogServiceMock.factory({ entities: [] }),
          replicated({
            goldenPath: {
              replicated: true,
              publish: { local: { allowedRoots: ['/srv/repos'] } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /Golden Path refuses to start with goldenPath\.replicated: true: goldenPath\.publish\.local\.allowedRoots names \/srv\/repos/,
    );
    // The scaffolder would have started its task workers here.
    expect(seen.init).toBe(false);
  });
});
