import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import { jobPackage, jobProblems, ServiceJob } from '../templateValues';
import { checkoutHas, listFiles } from '../lib/checkoutRead';
import path from 'node:path';
import {
  jobRenderValues,
  nextMigrationVersion,
  serviceNameOf,
} from '../lib/recordedValues';
import {
  openRecordedService,
  outputServiceLocation,
  serviceDirs,
  serviceInput,
  serviceLocationOutput,
  workingDirectoryInput,
} from '../lib/recordedService';
import { updateValuesOutput } from '../lib/updateRenders';
import { serviceRenders } from '../lib/serviceRenders';
import { checkServicePkg, renderedParts } from '../lib/servicePkgCheck';
import { examples } from './jobPlan.examples';

/** The skeleton parts templates/add-scheduled-job.yaml renders. */
const JOB_TEMPLATE_PARTS = [
  'skeleton',
  'skeleton-statemachine',
  'skeleton-async',
  'skeleton-jobs',
  'skeleton-job',
];

/** The job's problems on its own (name, schedule, timeout), labelled "job", not jobs[0]. */
function ownProblems(job: ServiceJob): string[] {
  return jobProblems([job]).map(p => p.replace(/^jobs\[0\] /, 'job '));
}

/**
 * `golden-path:job:plan`: checks a scheduled job to add to a service made by
 * the Go service template, against the values the service recorded, and
 * computes the values of the two renders of the day-2 update.
 */
export function createJobPlanAction() {
  return createTemplateAction({
    id: 'golden-path:job:plan',
    description:
      "Checks a scheduled job to add to a Go service (snake_case name that is no Go keyword and no job of the service yet, a cron schedule the service accepts, a timeout no longer than the schedule's period) against the values the service recorded in .golden-path/values.json, and outputs the values of the service before and after the job is added",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...serviceInput,
        job: z =>
          z
            .object({
              name: z.string(),
              schedule: z.string(),
              timeout: z.string(),
            })
            .describe(
              'The job: snake_case name, cron schedule (5 or 6 fields, descriptors, CRON_TZ=), timeout (e.g. 5m)',
            ),
        ...workingDirectoryInput(
          'services/<name>-service and pkg (its packages are checked for the pkg APIs the skeletons call)',
        ),
      },
      output: {
        ...serviceLocationOutput,
        jobPackage: z =>
          z
            .string()
            .describe(
              'internal/application/usecase/<jobPackage> of the new job',
            ),
        ...updateValuesOutput('the job'),
        baseJobs: z =>
          z
            .array(z.record(z.unknown()))
            .describe('Values of go-service/skeleton-job per job, before'),
        nextJobs: z =>
          z
            .array(z.record(z.unknown()))
            .describe('The same with the job added'),
        hadJobs: z =>
          z
            .boolean()
            .describe(
              'Whether the service had jobs (and the job_runs table) before',
            ),
        migration: z =>
          z
            .string()
            .describe(
              'db/migrations file the job infrastructure adds (its first job only), else empty',
            ),
        dashboard: z =>
          z
            .string()
            .describe(
              "deploy/grafana/dashboards/<name>-service.json when the checkout has the service's dashboard (its job panels come with the first job), else empty",
            ),
        paths: z =>
          z
            .array(z.string())
            .describe(
              'What the update merges and publishes: serviceDir, protoDir, generatedDir and the dashboard when there is one',
            ),
      },
    },
    async handler(ctx) {
      const job = {
        name: ctx.input.job.name,
        schedule: ctx.input.job.schedule,
        timeout: ctx.input.job.timeout,
      };
      const serviceName = serviceNameOf(ctx.input.service);
      const own = ownProblems(job);
      if (own.length) throw new InputError(own.join('\n'));

      const service = openRecordedService(ctx, serviceName);
      const { where, base, resolver } = service;

      const existing = base.jobs.find(j => j?.name === job.name);
      if (existing) {
        throw new InputError(
          `${serviceName} already has a job named ${job.name} (schedule "${existing.schedule}", timeout ${existing.timeout}); pick another name`,
        );
      }
      const jobs = [...base.jobs, job];
      const problems = jobProblems(jobs, {
        aggregate: base.aggregate,
        aggregatePlural: base.aggPlural,
        fields: base.fields,
        transitions: base.transitions,
      }).map(p => p.replace(`jobs[${jobs.length - 1}] `, 'job '));
      if (problems.length) throw new InputError(problems.join('\n'));
      const pkg = jobPackage(job.name);
      if (
        checkoutHas(
          resolver,
          path.join(service.dir, 'internal/application/usecase', pkg),
        )
      ) {
        throw new InputError(
          `${where}/internal/application/usecase/${pkg} already exists; pick another job name`,
        );
      }

      const hadJobs = base.jobs.length > 0;
      let jobsMigration = base.jobsMigration;
      let migration = '';
      if (!hadJobs) {
        const migrations = path.join(service.dir, 'db/migrations');
        jobsMigration = nextMigrationVersion(resolver, migrations, where);
        const clash = listFiles(resolver, migrations, '.sql')
          .map(f => path.basename(f))
          .find(f => /^[0-9]+_job_runs\.sql$/.test(f));
        if (clash) {
          throw new InputError(
            `${where}/db/migrations/${clash} exists although the service records no jobs: the job_runs table was added by hand`,
          );
        }
        migration = `${jobsMigration}_job_runs.sql`;
      }
      const next = { ...base, jobs, jobsMigration };
      checkServicePkg(
        ctx,
        service,
        renderedParts(serviceRenders(next, '.', JOB_TEMPLATE_PARTS)),
        'add the job',
      );
      const first = migration
        ? `, its first job: the job infrastructure comes with db/migrations/${migration}`
        : '';
      ctx.logger.info(
        `adding ${job.name} (${job.schedule}, timeout ${job.timeout}) to ${serviceName}${first}`,
      );
      outputServiceLocation(ctx, service);
      ctx.output('jobPackage', pkg);
      ctx.output('base', base);
      ctx.output('next', next);
      ctx.output(
        'baseJobs',
        base.jobs.map(j => jobRenderValues(base, j)),
      );
      ctx.output(
        'nextJobs',
        jobs.map(j => jobRenderValues(next, j)),
      );
      ctx.output('hadJobs', hadJobs);
      ctx.output('migration', migration);
      // The dashboard lives in the monorepo's deploy/, beside the other
      // services'; a service made before dashboards has none (the upgrade
      // template brings it) and gets none here.
      const dashboard = `deploy/grafana/dashboards/${serviceName}.json`;
      const hasDashboard = service.resolver
        .entry(`${service.root}/${dashboard}`, { label: 'dashboard' })
        .stats?.isFile();
      const { serviceDir, protoDir, generatedDir } = serviceDirs(service);
      ctx.output('dashboard', hasDashboard ? dashboard : '');
      ctx.output('paths', [
        serviceDir,
        protoDir,
        generatedDir,
        ...(hasDashboard ? [dashboard] : []),
      ]);
    },
  });
}
