import { createTemplateAction } from '../lib/templateAction';
import { serviceNameOf } from '../lib/recordedValues';
import {
  openRecordedService,
  outputServiceLocation,
  serviceInput,
  serviceLocationOutput,
  workingDirectoryInput,
} from '../lib/recordedService';
import {
  checkDependencyName,
  resolveServiceDependencies,
  ServiceDependency,
} from '../lib/serviceDependencies';
import { outputUpdateRenders, updateRendersOutput } from '../lib/updateRenders';
import { checkServicePkg, renderedParts } from '../lib/servicePkgCheck';
import { SERVICE_SKELETON_PARTS, serviceRenders } from '../lib/serviceRenders';
import { examples } from './dependencyPlan.examples';

/** The files one dependency adds to the service, relative to it. */
function dependencyFiles(dep: ServiceDependency): string[] {
  return [
    `internal/adapter/outbound/grpcclient/${dep.snake}_client.go`,
    `internal/adapter/outbound/grpcclient/${dep.snake}_client_test.go`,
    `internal/application/port/output/${dep.snake}_client.go`,
  ];
}

/** The files the first dependency adds too: the shared connection and the Fx module. */
const FIRST_DEPENDENCY_FILES = [
  'internal/adapter/outbound/grpcclient/conn.go',
  'internal/infrastructure/fx/external_module.go',
];

/**
 * `golden-path:dependency:plan`: checks a service to call, to add to a
 * service made by the Go service template, against the monorepo checked out
 * into the workspace (the same rules as the template's dependsOn), and
 * computes the values of the two renders of the day-2 update.
 */
export function createDependencyPlanAction() {
  return createTemplateAction({
    id: 'golden-path:dependency:plan',
    description:
      'Checks a service to call, to add to a Go service made by the Go service template (a Go service of the same monorepo with its recorded values, proto and generated code; not the service itself, not one it calls already, not one that calls it directly or through others: a cycle), against the monorepo checked out into the workspace, and outputs the values of the service before and after the gRPC client is added',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...serviceInput,
        dependency: z =>
          z
            .string()
            .describe(
              'The service it will call: its Component (component:default/order-history-service) or its name',
            ),
        ...workingDirectoryInput(
          'services/ (the recorded values of every service), api/proto and pkg',
        ),
      },
      output: {
        ...serviceLocationOutput,
        dependency: z =>
          z
            .record(z.unknown())
            .describe(
              'The service called, as recorded in dependencies: name, serviceName, protoPkg, aggregate, aggPlural, grpcPort and its Go and environment names',
            ),
        files: z =>
          z
            .array(z.string())
            .describe('The files the dependency adds, in the monorepo'),
        ...updateRendersOutput('the dependency'),
      },
    },
    async handler(ctx) {
      const serviceName = serviceNameOf(ctx.input.service);
      const depName = serviceNameOf(ctx.input.dependency, 'dependency').replace(
        /-service$/,
        '',
      );
      const service = openRecordedService(
        ctx,
        serviceName,
        "Add the client by hand as the Go service template's docs describe (Calling another service)",
      );
      const { base, where } = service;
      const at = `dependency "${depName}"`;
      checkDependencyName(base.name, depName, at);
      const existing = (
        Array.isArray(base.dependencies) ? base.dependencies : []
      ) as ServiceDependency[];
      const monorepo = service.resolver.entry(service.root, {
        label: 'workingDirectory',
      }).path;
      const [dependency] = resolveServiceDependencies(
        monorepo,
        'the monorepo',
        base.name,
        [depName],
        { label: () => at, existing },
      );
      const before = { ...base, dependencies: existing };
      const next = { ...base, dependencies: [...existing, dependency] };
      // The service is rendered again from the current skeletons: the
      // monorepo's pkg must have what they call.
      checkServicePkg(
        ctx,
        service,
        renderedParts(serviceRenders(next, '.', SERVICE_SKELETON_PARTS)),
        'add the dependency',
      );
      const files = [
        ...dependencyFiles(dependency),
        ...(existing.length ? [] : FIRST_DEPENDENCY_FILES),
      ]
        .map(f => `${where}/${f}`)
        .sort();
      ctx.logger.info(
        `${serviceName} will call ${dependency.serviceName} (${dependency.protoPkg}.v1.${dependency.aggregate}Service): ${files.length} new files`,
      );
      outputServiceLocation(ctx, service);
      ctx.output('dependency', { ...dependency });
      ctx.output('files', files);
      outputUpdateRenders(ctx, before, next);
    },
  });
}
