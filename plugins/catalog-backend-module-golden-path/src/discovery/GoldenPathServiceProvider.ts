import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { ParsedYamlCache, serviceEntities } from './serviceEntities';
import { ServiceSource } from './types';

/** What one refresh found. */
export interface DiscoveryResult {
  /** Service directories found in every source. */
  services: number;
  /** Entities handed to the catalog. */
  entities: number;
  /** Problems found (each one line naming a file); only new ones are logged. */
  warnings: string[];
}

/**
 * Keeps the Go services of the configured monorepos in the catalog: on each
 * run of its schedule it reads every source and applies one full mutation,
 * so a service added on disk appears and a removed one disappears within one
 * refresh. Each entity's location key is its catalog-info.yaml, the same key
 * the catalog gives the entities when that file is registered as a location
 * (as the Go service template does), so a service both registered and
 * discovered is one entity, not a conflict.
 */
export class GoldenPathServiceProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private reported = new Set<string>();
  private lastCounts = '';
  private readonly yaml = new ParsedYamlCache();

  constructor(
    private readonly options: {
      sources: ServiceSource[];
      logger: LoggerService;
      /** Runs the refresh on the provider's schedule; none: only explicit refresh() calls. */
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'golden-path-discovery';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async signal => {
        await this.refresh(signal);
      },
    });
  }

  /**
   * Reads every source and replaces the provider's entities with what is
   * there now. When `signal` aborts (the backend shuts down, the run timed
   * out) the refresh stops between services and applies nothing.
   */
  async refresh(signal?: AbortSignal): Promise<DiscoveryResult | undefined> {
    const { logger, sources } = this.options;
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    const deferred: DeferredEntity[] = [];
    const claimedBy = new Map<string, string>();
    let services = 0;
    for (const source of sources) {
      let found;
      try {
        found = await source.readServices(warn, signal);
      } catch (e) {
        // Removing every service of a source on a failed read would empty the catalog.
        logger.warn(
          `Golden path discovery could not read ${source.describe()}: ${
            (e as Error).message
          }; the catalog keeps the services of the last refresh until it can`,
        );
        return undefined;
      }
      if (signal?.aborted) {
        logger.info(
          'Golden path discovery stopped before it finished (shutdown or timeout); nothing applied',
        );
        return undefined;
      }
      services += found.length;
      for (const service of found) {
        for (const entity of await serviceEntities(service, warn, this.yaml)) {
          const ref = stringifyEntityRef(entity);
          const file = service.location.target;
          const first = claimedBy.get(ref);
          if (first) {
            warn(
              `${file}: ${ref} is already declared by ${first}; this one is skipped (rename one of them)`,
            );
            continue;
          }
          claimedBy.set(ref, file);
          deferred.push({
            entity,
            locationKey: `${service.location.type}:${file}`,
          });
        }
      }
    }
    await this.connection.applyMutation({ type: 'full', entities: deferred });
    this.yaml.sweep();
    // One line per problem, not one per refresh: only what is new is logged.
    const current = new Set(warnings);
    for (const line of current) {
      if (!this.reported.has(line))
        logger.warn(`Golden path discovery: ${line}`);
    }
    this.reported = current;
    const counts = `${services} services, ${deferred.length} entities`;
    if (counts !== this.lastCounts) {
      logger.info(
        `Golden path discovery: ${counts} in ${
          sources.map(s => s.describe()).join(', ') || 'no roots'
        }`,
      );
      this.lastCounts = counts;
    }
    return { services, entities: deferred.length, warnings };
  }
}
