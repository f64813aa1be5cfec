import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '../lib/templateAction';
import { scaffolderTasksApi } from '../lib/scaffolderTasksApi';
import { serviceNameOf } from '../lib/recordedValues';
import { examples } from './upgradeBatch.examples';

/** One service's row of the batch's result table. */
export interface BatchRow {
  service: string;
  /** upgraded, up to date, conflicts (a marked branch), refused, failed */
  result: string;
  branch: string;
  /** The pull request's page, when the upgrade was published to a forge. */
  pullRequest: string;
  added: number;
  updated: number;
  merged: number;
  deleted: number;
  conflicts: number;
  /** The child task's first error line, or its summary. */
  detail: string;
  taskId: string;
  seconds: number;
}

const GO_SERVICE_ANNOTATION = 'golden-path.dev/go-service';
const MAX_SERVICES = 50;

const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** The markdown table of a batch. */
export function batchTable(rows: BatchRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| Service | Result | Branch | Pull request | Added | Updated | Merged | Deleted | Conflicts | Seconds | Detail |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.service} | ${r.result} | ${
          r.branch ? `\`${r.branch}\`` : ''
        } | ${cell(r.pullRequest)} | ${r.added} | ${r.updated} | ${
          r.merged
        } | ${r.deleted} | ${r.conflicts} | ${r.seconds} | ${cell(r.detail)} |`,
    ),
  ].join('\n');
}

/**
 * `golden-path:upgrade:batch`: upgrades every Go service of a system or a
 * team (or the services given) with the single-service upgrade template, one
 * task per service run by this task (so each service gets its own change: a
 * branch of the local monorepo or a pull request on GitHub or Gitea; its own
 * checks and its own refusal), and reports a table of the results.
 */
export function createUpgradeBatchAction(deps: {
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
}) {
  return createTemplateAction({
    id: 'golden-path:upgrade:batch',
    description:
      'Upgrades every Go service (annotation golden-path.dev/go-service) of a system or an owner, or the services given, by running the single-service upgrade template once per service as the task initiator (one branch of the local monorepo or one pull request per service, each refused or failed on its own), and outputs a table of the results',
    examples,
    schema: {
      input: {
        templateRef: z =>
          z
            .string()
            .describe(
              'The single-service upgrade template, e.g. template:default/upgrade-service',
            ),
        publishTo: z =>
          z
            .enum(['local', 'github', 'gitea'])
            .optional()
            .describe(
              'Where each upgrade is published: a branch of the local monorepo (default), or a pull request on GitHub or Gitea',
            ),
        localPath: z =>
          z
            .string()
            .optional()
            .describe('The monorepo under the local publish root (local)'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "The monorepo's repository, as RepoUrlPicker writes it (github, gitea)",
            ),
        targetBranch: z =>
          z
            .string()
            .optional()
            .describe(
              'The branch the pull requests merge into (default: main)',
            ),
        services: z =>
          z
            .array(z.string())
            .optional()
            .describe('The services; else those of system or owner'),
        system: z =>
          z.string().optional().describe('A System entity: its Go services'),
        owner: z =>
          z
            .string()
            .optional()
            .describe('A Group entity: the Go services it owns'),
        onConflict: z =>
          z
            .enum(['fail', 'markers'])
            .optional()
            .describe('Passed to each upgrade'),
        concurrency: z =>
          z
            .number()
            .int()
            .min(1)
            .max(8)
            .optional()
            .describe('Upgrades running at once (default 2)'),
      },
      output: {
        results: z =>
          z
            .array(z.record(z.unknown()))
            .describe('One row per service (BatchRow)'),
        table: z => z.string().describe('The rows as a markdown table'),
        upgraded: z => z.number().describe('Services upgraded'),
        failed: z =>
          z.number().describe('Services refused, in conflict or failed'),
      },
    },
    async handler(ctx) {
      const publishTo = ctx.input.publishTo ?? 'local';
      if (publishTo === 'local' ? !ctx.input.localPath : !ctx.input.repoUrl)
        throw new InputError(
          publishTo === 'local'
            ? 'localPath is missing: name the monorepo directory under the local publish root, or publish to a forge with repoUrl'
            : `repoUrl is missing: name the monorepo's repository on ${
                publishTo === 'github' ? 'GitHub' : 'Gitea'
              } (<host>?owner=<owner>&repo=<name>)`,
        );
      /** The child task's values: the service's, plus where it is published. */
      const target =
        publishTo === 'local'
          ? { publishTo, localPath: ctx.input.localPath }
          : {
              publishTo,
              repoUrl: ctx.input.repoUrl,
              targetBranch: ctx.input.targetBranch || 'main',
            };
      const credentials = await ctx.getInitiatorCredentials();
      const { system, owner } = ctx.input;
      let services: string[];
      if (ctx.input.services?.length) {
        services = ctx.input.services.map(s => {
          const name = serviceNameOf(s);
          return `component:default/${name}`;
        });
      } else if (!!system === !!owner) {
        throw new InputError(
          'give the services, or exactly one of system and owner, to choose the services to upgrade',
        );
      } else {
        const ref = stringifyEntityRef(
          parseEntityRef((system ?? owner)!, {
            defaultKind: system ? 'system' : 'group',
            defaultNamespace: 'default',
          }),
        );
        const field = system ? 'system' : 'owner';
        const { items } = await deps.catalog.getEntities(
          {
            filter: { kind: 'Component', 'spec.type': 'service' },
            fields: ['kind', 'metadata', 'spec'],
          },
          { credentials },
        );
        const refOf = (e: (typeof items)[number]) => {
          const v = e.spec?.[field];
          if (typeof v !== 'string') return undefined;
          try {
            return stringifyEntityRef(
              parseEntityRef(v, {
                defaultKind: system ? 'system' : 'group',
                defaultNamespace: e.metadata.namespace ?? 'default',
              }),
            );
          } catch {
            return undefined;
          }
        };
        services = items
          .filter(
            e =>
              e.metadata.annotations?.[GO_SERVICE_ANNOTATION] &&
              refOf(e) === ref,
          )
          .map(e => stringifyEntityRef(e))
          .sort();
        if (!services.length)
          throw new InputError(
            `${ref} has no Go service made by the Go service template in the catalog (or none you may read)`,
          );
      }
      if (services.length > MAX_SERVICES)
        throw new InputError(
          `${services.length} services: a batch upgrades at most ${MAX_SERVICES}; narrow it down`,
        );
      const base = await deps.discovery.getBaseUrl('scaffolder');
      const { token } = await deps.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'scaffolder',
      });
      const api = scaffolderTasksApi({
        baseUrl: base,
        token,
        signal: ctx.signal,
        logger: ctx.logger,
      });

      const upgradeOne = async (service: string): Promise<BatchRow> => {
        const started = Date.now();
        const row: BatchRow = {
          service: parseEntityRef(service).name,
          result: 'failed',
          branch: '',
          pullRequest: '',
          added: 0,
          updated: 0,
          merged: 0,
          deleted: 0,
          conflicts: 0,
          detail: '',
          taskId: '',
          seconds: 0,
        };
        try {
          const { id } = await api.post('/v2/tasks', {
            templateRef: ctx.input.templateRef,
            values: {
              service,
              ...target,
              onConflict: ctx.input.onConflict ?? 'fail',
            },
          });
          row.taskId = id;
          ctx.logger.info(`${row.service}: upgrade task ${id} started`);
          let task: any;
          for (;;) {
            task = await api.get(`/v2/tasks/${encodeURIComponent(id)}`);
            if (['completed', 'failed', 'cancelled'].includes(task.status))
              break;
            await new Promise(r => setTimeout(r, 1000));
          }
          const events: any[] = await api.get(
            `/v2/tasks/${encodeURIComponent(id)}/events`,
          );
          const completion = events.find(e => e.type === 'completion');
          const upgrade = completion?.body?.output?.upgrade ?? {};
          row.added = count(upgrade.added);
          row.updated = count(upgrade.updated);
          row.merged = count(upgrade.merged);
          row.deleted = count(upgrade.deleted);
          row.conflicts = count(upgrade.conflicts);
          row.branch = upgrade.branch ?? '';
          row.pullRequest =
            typeof upgrade.pullRequest === 'string' ? upgrade.pullRequest : '';
          if (task.status === 'completed') {
            if (upgrade.upToDate) row.result = 'up to date';
            else if (row.conflicts) row.result = 'conflicts (marked branch)';
            else row.result = 'upgraded';
            row.detail = upgrade.upToDate
              ? `at ${upgrade.to ?? 'the current version'}`
              : `${upgrade.from ?? '?'} → ${upgrade.to ?? '?'}`;
          } else {
            const failedStep = [...events]
              .reverse()
              .find(e => e.body?.status === 'failed' && e.body?.stepId)
              ?.body?.stepId;
            const error = String(
              completion?.body?.error?.message ?? task.status,
            );
            /** The step that failed says what kind of failure it is. */
            const kinds: Record<string, string> = {
              'checkout-local': 'refused',
              forge: 'refused',
              plan: 'refused',
              merge: 'conflicts (nothing written)',
            };
            row.result = kinds[failedStep] ?? 'failed';
            row.detail = error.split('\n').slice(0, 4).join(' ');
          }
        } catch (e) {
          row.detail = (e as Error).message.split('\n')[0];
        }
        row.seconds = Math.round((Date.now() - started) / 1000);
        ctx.logger.info(
          `${row.service}: ${row.result}${
            row.branch ? ` on ${row.branch}` : ''
          }${row.pullRequest ? ` (${row.pullRequest})` : ''}${
            row.detail ? ` (${row.detail})` : ''
          }`,
        );
        return row;
      };

      const rows: BatchRow[] = new Array(services.length);
      let next = 0;
      const workers = Array.from(
        {
          length: Math.min(ctx.input.concurrency ?? 2, services.length),
        },
        async () => {
          while (next < services.length) {
            const i = next++;
            rows[i] = await upgradeOne(services[i]);
          }
        },
      );
      await Promise.all(workers);
      const table = batchTable(rows);
      ctx.logger.info(`results:\n${table}`);
      ctx.output('results', rows as any);
      ctx.output('table', table);
      ctx.output('upgraded', rows.filter(r => r.result === 'upgraded').length);
      ctx.output(
        'failed',
        rows.filter(r => r.result !== 'upgraded' && r.result !== 'up to date')
          .length,
      );
    },
  });
}
