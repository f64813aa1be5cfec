import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { goldenPathInsightsReadPermission } from '@golden-path/plugin-golden-path-common';
import express from 'express';
import Router from 'express-promise-router';
import type {
  InsightsCacheStatsSource,
  InsightsService,
} from './service/InsightsService';
import type { OnboardingService } from './service/OnboardingService';
import { AccessCache, type AccessCacheSettings } from './service/accessCache';
import { ResponseBodies } from './service/responseBodies';
import { errorResponder } from './service/publicErrors';
import { checkRefParts } from './service/entityRefParams';

/** What the router needs. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  insights: InsightsService & Partial<InsightsCacheStatsSource>;
  onboarding: OnboardingService;
  /** Where internal errors go (clients get a log id, never a stack or a server path). */
  logger: LoggerService;
  /** A user's ownership claims, part of the access cache's key. */
  userInfo: UserInfoService;
  /** How long a user's allowed access to an entity is reused; off without it. */
  accessCache?: AccessCacheSettings;
}

const PARTS = ['layers', 'protos', 'migrations'] as const;
/** Most bytes of serialized insights responses kept (JSON and gzip). */
const RESPONSE_BODIES_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The insights API:
 * `GET /entities/:kind/:namespace/:name/insights` and its parts
 * `…/insights/layers|protos|migrations`, and a team's onboarding. The entity is read from the catalog
 * with the caller's credentials (404 when they may not see it), then
 * `golden-path.insights.read` is checked on it (403 when denied). A user's
 * allowed check of an entity is reused for `accessCache.ttlMs` (see
 * {@link AccessCache}); a service's is made every time. The serialized
 * response (JSON, gzip, ETag) of an entity's insights is kept as long
 * ({@link ResponseBodies}); `If-None-Match` with its ETag answers 304.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, permissions, insights, onboarding, logger } =
    options;
  const { userInfo } = options;
  const access = new AccessCache(
    options.accessCache ?? { ttlMs: 0, maxEntries: 0 },
  );
  const bodies = new ResponseBodies(
    options.accessCache?.ttlMs ?? 0,
    RESPONSE_BODIES_MAX_BYTES,
  );
  const router = Router();

  /** The entity, once the caller may read its insights (404 or 403 otherwise). */
  const check = async (
    req: express.Request,
  ): Promise<{ entity: Entity; refresh: boolean }> => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { kind, namespace, name } = req.params;
    checkRefParts({ kind, namespace, name });
    const ref = { kind, namespace, name };
    const refresh = req.query.refresh === 'true';
    let key: string | undefined;
    if (access.enabled && credentials.principal.type === 'user') {
      // a refresh checks again, and keeps the new check
      key = AccessCache.key(await userInfo.getUserInfo(credentials), ref);
      const allowed = refresh ? undefined : access.get(key);
      if (allowed) return { entity: allowed, refresh };
    }
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
    if (key) access.set(key, entity);
    return { entity, refresh };
  };

  /**
   * The insights, and on `?refresh=true` whether the refresh was done:
   * `Golden-Path-Refresh: done`, or `deferred` with `Retry-After` (seconds)
   * when the insights are younger than `refreshMinInterval`.
   */
  const getInsights = async (
    res: express.Response,
    entity: Entity,
    refresh: boolean,
  ) => {
    let retryAt: Date | undefined;
    const result = await insights.getInsights(entity, {
      refresh,
      onRefreshDeferred: at => (retryAt = at),
    });
    if (refresh) {
      // an app on another origin (app.baseUrl) may read them only when exposed
      res.append('Access-Control-Expose-Headers', [
        'Golden-Path-Refresh',
        'Retry-After',
      ]);
      res.set('Golden-Path-Refresh', retryAt ? 'deferred' : 'done');
      if (retryAt)
        res.set(
          'Retry-After',
          String(
            Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000)),
          ),
        );
    }
    return result;
  };

  const load = async (req: express.Request, res: express.Response) => {
    const { entity, refresh } = await check(req);
    return getInsights(res, entity, refresh);
  };

  router.get('/entities/:kind/:namespace/:name/insights', async (req, res) => {
    const { entity, refresh } = await check(req);
    // the insights depend on the entity's ref and annotations only
    const key = JSON.stringify([
      stringifyEntityRef(entity),
      entity.metadata.annotations ?? {},
    ]);
    let body = refresh ? undefined : bodies.get(key);
    if (!body) {
      body = await ResponseBodies.of(await getInsights(res, entity, refresh));
      bodies.set(key, body);
    }
    res.set('ETag', body.etag).vary('Accept-Encoding').type('json');
    if (req.fresh) {
      res.status(304).end();
    } else if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.set('Content-Encoding', 'gzip').send(body.gzip);
    } else {
      res.send(body.json);
    }
  });

  router.get(
    '/entities/:kind/:namespace/:name/insights/:part',
    async (req, res) => {
      const part = req.params.part as (typeof PARTS)[number];
      if (!PARTS.includes(part))
        throw new NotFoundError(
          `Unknown insights part "${req.params.part}"; use ${PARTS.join(', ')}`,
        );
      const result = await load(req, res);
      res.json({
        entityRef: result.entityRef,
        generatedAt: result.generatedAt,
        source: result.source,
        [part]: result[part],
      });
    },
  );

  /**
   * What this process's insights cache holds against its limits (entries,
   * bytes, hits, misses, evictions) and its access cache (`access`), for
   * operators and the load benchmark:
   * service credentials only (scripts, monitoring), never a user's.
   */
  router.get('/insights-cache', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    if (!insights.cacheStats)
      throw new NotFoundError('This insights service keeps no cache figures');
    res.json({
      ...insights.cacheStats(),
      access: access.stats(),
      responses: bodies.stats(),
    });
  });

  /**
   * A team's golden-path steps (`GET /onboarding/:namespace/:name`), read
   * with the caller's credentials: see {@link OnboardingService}.
   */
  router.get('/onboarding/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    checkRefParts({ namespace, name });
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
