import type {
  AuthService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  computeOnboarding,
  goldenPathInsightsReadPermission,
  isGoServiceEntity,
} from '@golden-path/plugin-golden-path-common';
import express from 'express';
import Router from 'express-promise-router';
import type { InsightsService } from './service/InsightsService';
import { readOnboardingRuns } from './service/onboardingRuns';
import { errorResponder, publicError } from './service/publicErrors';

/** What the router needs. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  insights: InsightsService;
  /** Locates the scaffolder, whose unfinished onboarding runs are listed. */
  discovery?: DiscoveryService;
  /** Where internal errors go (clients get a log id, never a stack or a server path). */
  logger: LoggerService;
}

const PARTS = ['layers', 'protos', 'migrations'] as const;

/**
 * The insights API:
 * `GET /entities/:kind/:namespace/:name/insights` and its parts
 * `…/insights/layers|protos|migrations`. The entity is read from the catalog
 * with the caller's credentials (404 when they may not see it), then
 * `golden-path.insights.read` is checked on it (403 when denied).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auth, catalog, permissions, insights, discovery, logger } =
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
   * A team's golden-path steps (`GET /onboarding/:namespace/:name`): its Group,
   * the Systems and Components it owns, and the insights of its first Go
   * service, each read with the caller's credentials; plus the team's failed
   * or cancelled runs of the onboarding template and what they left
   * unregistered (read from the scaffolder, also as the caller).
   */
  router.get('/onboarding/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const teamRef = stringifyEntityRef({
      kind: 'Group',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const team = await catalog.getEntityByRef(teamRef, { credentials });
    const { items: owned } = team
      ? await catalog.getEntities(
          {
            filter: {
              kind: ['System', 'Component'],
              'relations.ownedBy': teamRef,
            },
          },
          { credentials },
        )
      : { items: [] };
    const firstService = owned
      .filter(e => e.kind === 'Component' && isGoServiceEntity(e))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
    let serviceInsights;
    if (firstService) {
      const [decision] = await permissions.authorize(
        [
          {
            permission: goldenPathInsightsReadPermission,
            resourceRef: stringifyEntityRef(firstService),
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        serviceInsights = { error: 'you may not read its insights' };
      } else {
        try {
          serviceInsights = await insights.getInsights(firstService, {
            refresh: req.query.refresh === 'true',
          });
        } catch (e) {
          serviceInsights = { error: publicError(e, logger).message };
        }
      }
    }
    const onboarding = computeOnboarding({
      teamRef,
      team,
      owned,
      insights: serviceInsights,
    });
    if (discovery) {
      const known = new Set(
        [...(team ? [team] : []), ...owned].map(e => stringifyEntityRef(e)),
      );
      try {
        onboarding.runs = await readOnboardingRuns({
          discovery,
          auth,
          credentials,
          teamName: req.params.name,
          inCatalog: entityRef => known.has(entityRef),
        });
      } catch (e) {
        onboarding.runsError = `Failed or cancelled onboarding runs could not be read: ${
          publicError(e, logger).message
        }`;
      }
    }
    res.json(onboarding);
  });

  router.use(errorResponder(logger));
  return router;
}
