import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleGoldenPathLocalLocations } from './module';

/*
 * Development only: in development the catalog may register file
 * locations; in a production build (NODE_ENV production) the module refuses
 * to start in one line naming what to remove, unless the dangerous flag is
 * set, and then it warns.
 */
const nodeEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = nodeEnv;
});

async function start(env: string | undefined, data: object = {}) {
  if (env === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = env;
  const setAllowedLocationTypes = jest.fn();
  const catalogInit = jest.fn();
  const logger = mockServices.logger.mock();
  // A catalog offering the extension point: the module arrives through a
  // feature loader, which the test backend's extension point mocks do not see.
  const catalog = createBackendPlugin({
    pluginId: 'catalog',
    register(reg) {
      reg.registerExtensionPoint(catalogLocationsExtensionPoint, {
        setAllowedLocationTypes,
      });
      reg.registerInit({
        deps: {},
        async init() {
          catalogInit();
        },
      });
    },
  });
  const backend = startTestBackend({
    features: [
      catalog,
      catalogModuleGoldenPathLocalLocations,
      mockServices.rootConfig.factory({ data }),
      logger.factory,
    ],
  });
  return { backend, setAllowedLocationTypes, catalogInit, logger };
}

it('in development, the catalog may register url and file locations', async () => {
  const { backend, setAllowedLocationTypes } = await start('development');
  await (await backend).stop();
  expect(setAllowedLocationTypes).toHaveBeenCalledWith(['url', 'file']);
});

it.each([['production'], [undefined]])(
  'bad input: with NODE_ENV %s it refuses to start in one line naming what to remove',
  async env => {
    const { backend, setAllowedLocationTypes, catalogInit } = await start(env);
    const err = await backend.then(
      () => undefined,
      e => e as Error,
    );
    expect(String(err?.cause ?? err)).toMatch(
      new RegExp(
        `Golden Path local locations are for development only and NODE_ENV is ${
          env ?? 'not set'
        }: remove backend\\.add\\(import\\('@golden-path/plugin-catalog-backend-module-golden-path-local-locations'\\)\\) from the production backend \\(templates publish to a repository there\\), or set goldenPath\\.localLocations\\.dangerouslyAllowOutsideDevelopment: true$`,
      ),
    );
    expect(setAllowedLocationTypes).not.toHaveBeenCalled();
    // Refused before any plugin of the backend initialised.
    expect(catalogInit).not.toHaveBeenCalled();
  },
);

it('outside development with dangerouslyAllowOutsideDevelopment it starts and warns', async () => {
  const { backend, setAllowedLocationTypes, logger } = await start(
    'production',
    {
      goldenPath: {
        localLocations: { dangerouslyAllowOutsideDevelopment: true },
      },
    },
  );
  await (await backend).stop();
  expect(setAllowedLocationTypes).toHaveBeenCalledWith(['url', 'file']);
  expect(logger.warn).toHaveBeenCalledWith(
    expect.stringMatching(
      /^Golden Path local locations are on outside development \(NODE_ENV production\) because goldenPath\.localLocations\.dangerouslyAllowOutsideDevelopment is true/,
    ),
  );
});
