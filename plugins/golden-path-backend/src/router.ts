import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { goldenPathInsightsReadPermission } from '@golden-path/plugin-golden-path-common';
import express from 'express';
import Router from 'express-promise-router';
import type { InsightsService } from './service/InsightsService';
import type { OnboardingService } from './service/OnboardingService';
import { errorResponder } from './service/publicErrors';

/** What the router needs. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  insights: InsightsService;
  onboarding: OnboardingService;
  /** Where internal errors go (clients get a log id, never a stack or a server path). */
  logger: LoggerService;
}

const PARTS = ['layers', 'protos', 'migrations'] as const;

/**
 * The insights API:
 * `GET /entities/:kind/:namespace/:name/insights` and its parts
 * `…/insights/layers|protos|migrations`, and a team's onboarding. The entity is read from the catalog
 * with the caller's credentials (404 when they may not see it), then
 * `golden-path.insights.read` is checked on it (403 when denied).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, permissions, insights, onboarding, logger } =
    options;
  const router = Router();

  const load = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { kind, namespace, name } = req.params;
    const ref = { kind, namespace, name };
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity)
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(ref)} (or you may not see it)`,
      );
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await permissions.authorize(
      [
        {
          permission: goldenPathInsightsReadPermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read the insights of ${entityRef}`,
      );
    }
    return insights.getInsights(entity, {
      refresh: req.query.refresh === 'true',
    });
  };

  router.get('/entities/:kind/:namespace/:name/insights', async (req, res) => {
    res.json(await load(req));
  });

  router.get(
    '/entities/:kind/:namespace/:name/insights/:part',
    async (req, res) => {
      const part = req.params.part as (typeof PARTS)[number];
      if (!PARTS.includes(part))
        throw new NotFoundError(
          `Unknown insights part "${req.params.part}"; use ${PARTS.join(', ')}`,
        );
      const result = await load(req);
      res.json({
        entityRef: result.entityRef,
        generatedAt: result.generatedAt,
        source: result.source,
        [part]: result[part],
      });
    },
  );

  /**
   * A team's golden-path steps (`GET /onboarding/:namespace/:name`), read
   * with the caller's credentials: see {@link OnboardingService}.
   */
  router.get('/onboarding/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    res.json(
      await onboarding.getTeamOnboarding(
        { namespace, name },
        { credentials, refresh: req.query.refresh === 'true' },
      ),
    );
  });

  router.use(errorResponder(logger));
  return router;
}
