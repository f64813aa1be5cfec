import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { readBundledTemplates } from './bundledTemplates';

/**
 * Keeps the templates of one directory in the catalog: each refresh reads
 * the directory and applies one full mutation, so a template added to it
 * appears and a removed one disappears. The entities come from the provider
 * itself, not from a catalog location, so the catalog's `rules` need not
 * allow `Template` and no `file` location is registered.
 */
export class GoldenPathTemplateProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private reported = new Set<string>();

  constructor(
    private readonly options: {
      dir: string;
      logger: LoggerService;
      /** Re-reads the directory on a schedule; none: only at connect and on refresh() calls. */
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'golden-path-templates';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.refresh();
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /** Reads the directory and replaces the provider's entities; returns the template names. */
  async refresh(): Promise<string[]> {
    const { dir, logger } = this.options;
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    const { templates, problems } = readBundledTemplates(dir);
    for (const line of problems) {
      if (!this.reported.has(line)) logger.error(line);
    }
    this.reported = new Set(problems);
    await this.connection.applyMutation({
      type: 'full',
      entities: templates.map(({ file, entity }) => ({
        entity,
        locationKey: `file:${file}`,
      })),
    });
    return templates.map(t => t.entity.metadata.name);
  }
}
