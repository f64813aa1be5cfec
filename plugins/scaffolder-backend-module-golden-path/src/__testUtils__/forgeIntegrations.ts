import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';

/** The Gitea base URL the tests read templates from (see gitForge). */
export const FORGE = 'http://gitea.test';

/** Integrations with the Gitea at `FORGE` and github.com. */
export const forgeIntegrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: { gitea: [{ host: 'gitea.test', baseUrl: FORGE }] },
  }),
);
