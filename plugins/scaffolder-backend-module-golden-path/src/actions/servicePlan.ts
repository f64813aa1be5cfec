import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import {
  aggregateNames,
  finalStatesOf,
  TemplateValuesError,
  validateServiceValues,
} from '../templateValues';
import { checkedOutBranch } from '../lib/localGit';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import {
  checkDependsOnNames,
  resolveServiceDependencies,
  ServiceDependency,
} from '../lib/serviceDependencies';
import { GoldenPathSettings } from '../lib/settings';
import { checkMonorepoPkg } from '../lib/pkgApis';
import { examples } from './servicePlan.examples';

/**
 * `golden-path:service:plan`: checks the Go service template's values (and,
 * for a local monorepo, that it exists and has no service of that name)
 * before any file is written, and computes the aggregate's plural and table
 * the template's files use.
 */
export function createServicePlanAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'golden-path:service:plan',
    description:
      "Checks the Go service template values on the server (names, the aggregate's plural, fields, enum values, the state machine's transitions, the default RPC deadline, the scheduled jobs' names, cron schedules and timeouts) and, for a local monorepo, that it exists, has no service of that name and that its pkg module has every pkg API the skeletons call, before any file is written",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string().describe('Service name in kebab-case, without -service'),
        aggregate: z =>
          z.string().describe('Aggregate name, PascalCase singular'),
        aggregatePlural: z =>
          z
            .string()
            .optional()
            .describe(
              'Plural of the aggregate, PascalCase; when empty it is computed with the pluralize inflection library',
            ),
        rpcTimeout: z =>
          z
            .string()
            .optional()
            .describe(
              "The service's default deadline per RPC, a Go duration in one unit from 100ms to 1h (default 30s)",
            ),
        stage: z => z.string().describe('mvp or async'),
        pkgModule: z =>
          z.string().describe("Module path of the monorepo's pkg module"),
        fields: z =>
          z
            .array(
              z.object({
                name: z.string(),
                type: z.string(),
                values: z.array(z.string()).optional(),
                optional: z.boolean().optional(),
              }),
            )
            .describe('Fields of the aggregate'),
        states: z =>
          z
            .array(z.string())
            .optional()
            .describe('Statuses of the state machine'),
        transitions: z =>
          z
            .array(
              z.object({ name: z.string(), from: z.string(), to: z.string() }),
            )
            .optional()
            .describe('Transitions of the state machine'),
        finalStates: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Statuses in which Update and Delete are refused (known states, not the initial one); default: the states no transition leaves',
            ),
        jobs: z =>
          z
            .array(
              z.object({
                name: z.string(),
                schedule: z.string(),
                timeout: z.string(),
              }),
            )
            .optional()
            .describe(
              "Scheduled jobs: snake_case name, cron schedule (5 or 6 fields, descriptors, CRON_TZ=), timeout as a Go duration in one unit no longer than the schedule's period",
            ),
        dependsOn: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Services of the same monorepo this one calls (names without -service); read from the local monorepo, refused when not a Go service of it or when they make a cycle',
            ),
        localPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The monorepo directory under the local publish root, when publishing locally',
            ),
      },
      output: {
        serviceName: z => z.string().describe('<name>-service'),
        protoPackage: z =>
          z.string().describe('The proto package, <name without hyphens>.v1'),
        aggregatePlural: z =>
          z
            .string()
            .describe(
              'The plural of the aggregate (aggregatePlural, else from the pluralize inflection library): List<plural> RPC, sqlc query and messages',
            ),
        finalStates: z =>
          z
            .array(z.string())
            .describe(
              'The final statuses: finalStates when given, else the states no transition leaves',
            ),
        table: z =>
          z
            .string()
            .describe(
              "The aggregate's table, snake_case of the plural (ledger_entries)",
            ),
        dependencies: z =>
          z
            .array(
              z.object({
                name: z.string(),
                serviceName: z.string(),
                protoPkg: z.string(),
                aggregate: z.string(),
                aggPlural: z.string(),
                aggSnake: z.string(),
                grpcPort: z.number(),
                pascal: z.string(),
                camel: z.string(),
                snake: z.string(),
                env: z.string(),
              }),
            )
            .describe(
              'The services of dependsOn as read from the monorepo: names, proto package, aggregate and default port of each',
            ),
      },
    },
    async handler(ctx) {
      try {
        validateServiceValues(ctx.input);
      } catch (e) {
        if (e instanceof TemplateValuesError) throw new InputError(e.message);
        throw e;
      }
      const serviceName = `${ctx.input.name}-service`;
      const dependsOn = checkDependsOnNames(
        ctx.input.name,
        ctx.input.dependsOn,
      );
      if (dependsOn.length > 0 && !ctx.input.localPath) {
        throw new InputError(
          'dependsOn: the services called are read from the monorepo on disk, so they need publishTo local (localPath); for a GitHub monorepo create the service without them and add them on a local checkout',
        );
      }
      let dependencies: ServiceDependency[] = [];
      if (dependsOn.length > 0 && ctx.input.localPath && ctx.isDryRun) {
        // The dry-run API runs a template anyone who may create templates
        // uploads: resolving would tell them, of any monorepo under the
        // publish root, its services, aggregates and ports.
        ctx.logger.info(
          `dry run: the services called (${dependsOn.join(
            ', ',
          )}) are read from ${ctx.input.localPath} when the template runs`,
        );
      } else if (dependsOn.length > 0 && ctx.input.localPath) {
        const { target, local } = resolveUnderLocalRoot(
          deps.settings.localRoots,
          ctx.input.localPath,
          'localPath',
        );
        if (!local.entryAt(target, 'go.work', { label: 'go.work' }).stats) {
          throw new InputError(
            `dependsOn: localPath "${ctx.input.localPath}" is not a monorepo made by the Go monorepo template (no go.work in it), so the services it calls cannot be read`,
          );
        }
        dependencies = resolveServiceDependencies(
          target,
          ctx.input.localPath,
          ctx.input.name,
          dependsOn,
        );
      }
      if (ctx.input.localPath && ctx.isDryRun) {
        ctx.logger.info(
          `dry run: the local monorepo ${ctx.input.localPath} is checked when the template runs`,
        );
      } else if (ctx.input.localPath) {
        const { target, local } = resolveUnderLocalRoot(
          deps.settings.localRoots,
          ctx.input.localPath,
          'localPath',
        );
        // Through the primitive: a link out of the publish root is refused, not probed.
        const at = (rel: string) => local.entryAt(target, rel, { label: rel });
        if (!at('go.work').stats) {
          throw new InputError(
            `localPath "${ctx.input.localPath}" is not a monorepo made by the Go monorepo template (no go.work in it)`,
          );
        }
        if (at(`services/${serviceName}`).stats) {
          throw new InputError(
            `services/${serviceName} already exists in ${ctx.input.localPath}: pick another service name`,
          );
        }
        // The monorepo's pkg has every pkg API the skeletons this service
        // renders call (an older monorepo's lacks the newer ones).
        checkMonorepoPkg({
          root: local,
          monorepo: target,
          monorepoName: ctx.input.localPath,
          parts: [
            'skeleton',
            ...(ctx.input.states?.length ? ['skeleton-statemachine'] : []),
            ...(ctx.input.stage === 'async' ? ['skeleton-async'] : []),
            ...(ctx.input.jobs?.length
              ? ['skeleton-jobs', 'skeleton-job']
              : []),
            ...(dependsOn.length
              ? ['skeleton-dependencies', 'skeleton-dependency']
              : []),
          ],
          where: `services/${serviceName}`,
          then: 'create the service',
          log: line => ctx.logger.info(line),
        });
        // The service lands as a commit of the monorepo's repository.
        await checkedOutBranch(target, {
          settings: deps.settings,
          signal: ctx.signal,
          label: `${ctx.input.localPath} (under the local publish root)`,
        });
      }
      ctx.output('serviceName', serviceName);
      ctx.output('protoPackage', `${ctx.input.name.replace(/-/g, '')}.v1`);
      const { plural, table } = aggregateNames(
        ctx.input.aggregate,
        ctx.input.aggregatePlural,
      );
      ctx.output('aggregatePlural', plural);
      ctx.output('table', table);
      ctx.output('finalStates', finalStatesOf(ctx.input));
      ctx.output('dependencies', dependencies);
    },
  });
}
