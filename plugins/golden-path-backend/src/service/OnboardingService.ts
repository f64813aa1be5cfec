import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  computeOnboarding,
  docsCandidateRefs,
  goldenPathInsightsReadPermission,
  isGoServiceEntity,
  TeamOnboarding,
} from '@golden-path/plugin-golden-path-common';
import {
  DEFAULT_DOCS_BUILD_PROBE_OPTIONS,
  DocsBuildProbe,
  DocsBuildProbeOptions,
} from './docsBuildProbe';
import type { InsightsService } from './InsightsService';
import { readOnboardingRuns } from './onboardingRuns';
import { publicError } from './publicErrors';

/** A team's golden-path steps, as the Golden Path page shows them. */
export interface OnboardingService {
  /**
   * The steps of a team (`group:<namespace>/<name>`), everything read with
   * the caller's credentials.
   */
  getTeamOnboarding(
    team: { namespace: string; name: string },
    options: { credentials: BackstageCredentials; refresh?: boolean },
  ): Promise<TeamOnboarding>;
}

/**
 * Reads a team's Group, the Systems and Components it owns and the insights
 * of its first Go service from the catalog and the insights service; adds
 * the team's failed or cancelled runs of the onboarding template and what
 * they left unregistered (from the scaffolder), and the TechDocs builds of
 * its first monorepo and service that fail (from TechDocs). The scaffolder
 * and TechDocs are optional: without a discovery service they are not asked.
 */
export class DefaultOnboardingService implements OnboardingService {
  static create(deps: {
    catalog: CatalogService;
    permissions: PermissionsService;
    insights: InsightsService;
    auth: AuthService;
    logger: LoggerService;
    /** Locates the scaffolder and TechDocs. */
    discovery?: DiscoveryService;
    docsBuildProbe?: Partial<DocsBuildProbeOptions>;
    fetchImpl?: typeof fetch;
  }): DefaultOnboardingService {
    const docs = deps.discovery
      ? new DocsBuildProbe(
          {
            discovery: deps.discovery,
            auth: deps.auth,
            logger: deps.logger,
            fetchImpl: deps.fetchImpl,
          },
          { ...DEFAULT_DOCS_BUILD_PROBE_OPTIONS, ...deps.docsBuildProbe },
        )
      : undefined;
    return new DefaultOnboardingService(deps, docs);
  }

  private constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      insights: InsightsService;
      auth: AuthService;
      logger: LoggerService;
      discovery?: DiscoveryService;
      fetchImpl?: typeof fetch;
    },
    private readonly docs: DocsBuildProbe | undefined,
  ) {}

  async getTeamOnboarding(
    team: { namespace: string; name: string },
    options: { credentials: BackstageCredentials; refresh?: boolean },
  ): Promise<TeamOnboarding> {
    const { catalog, logger, discovery, auth } = this.deps;
    const { credentials, refresh = false } = options;
    const teamRef = stringifyEntityRef({ kind: 'Group', ...team });
    const group = await catalog.getEntityByRef(teamRef, { credentials });
    const { items: owned } = group
      ? await catalog.getEntities(
          {
            filter: {
              kind: ['System', 'Component'],
              'relations.ownedBy': teamRef,
            },
          },
          { credentials },
        )
      : { items: [] as Entity[] };
    const firstService = owned
      .filter(e => e.kind === 'Component' && isGoServiceEntity(e))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
    const onboarding = computeOnboarding({
      teamRef,
      team: group,
      owned,
      insights: firstService
        ? await this.serviceInsights(firstService, credentials, refresh)
        : undefined,
    });
    const byRef = new Map(
      [...(group ? [group] : []), ...owned].map(e => [
        stringifyEntityRef(e),
        e,
      ]),
    );
    const [runs, docsBuildFailures] = await Promise.all([
      discovery
        ? readOnboardingRuns({
            discovery,
            auth,
            credentials,
            teamName: team.name,
            inCatalog: entityRef => byRef.has(entityRef),
            fetchImpl: this.deps.fetchImpl,
          }).then(
            r => ({ runs: r }),
            e => ({
              runsError: `Failed or cancelled onboarding runs could not be read: ${
                publicError(e, logger).message
              }`,
            }),
          )
        : {},
      this.docs?.failures(
        docsCandidateRefs(onboarding).flatMap(ref => {
          const entity = byRef.get(ref);
          return entity ? [entity] : [];
        }),
        credentials,
        { refresh },
      ),
    ]);
    return {
      ...onboarding,
      ...runs,
      ...(docsBuildFailures ? { docsBuildFailures } : {}),
    };
  }

  /** The first service's insights, or why the caller does not get them. */
  private async serviceInsights(
    service: Entity,
    credentials: BackstageCredentials,
    refresh: boolean,
  ) {
    const [decision] = await this.deps.permissions.authorize(
      [
        {
          permission: goldenPathInsightsReadPermission,
          resourceRef: stringifyEntityRef(service),
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      return { error: 'you may not read its insights' };
    }
    try {
      return await this.deps.insights.getInsights(service, { refresh });
    } catch (e) {
      return { error: publicError(e, this.deps.logger).message };
    }
  }
}
