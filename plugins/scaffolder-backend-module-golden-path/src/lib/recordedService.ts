import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { readRecordedValues, RecordedServiceValues } from './recordedValues';
import { workspaceOf } from './toolStep';
import { WorkspaceResolver } from '@golden-path/plugin-golden-path-node';
import { z as zod } from 'zod/v3';

type Z = typeof zod;

/** A service made by the Go service template, found in the workspace with the values it recorded. */
export interface RecordedService {
  /** The working directory, relative to the workspace root ('.' by default). */
  root: string;
  serviceName: string;
  /** services/<name>-service, for messages and outputs. */
  where: string;
  /** The service directory on disk. */
  dir: string;
  base: RecordedServiceValues;
  resolver: WorkspaceResolver;
}

/** The `service` input of the day-2 plan actions. */
export const serviceInput = {
  service: (z: Z) =>
    z
      .string()
      .describe(
        'The service: its Component (component:default/order-service) or its name',
      ),
};

/**
 * The `workingDirectory` input of the day-2 plan actions, which
 * openRecordedService reads; `holding` says what the action needs there.
 */
export function workingDirectoryInput(holding: string) {
  return {
    workingDirectory: (z: Z) =>
      z
        .string()
        .optional()
        .describe(
          `Workspace directory laid out like the monorepo, holding ${holding} (default: the root)`,
        ),
  };
}

/** The outputs locating the service, shared by the day-2 plan actions. */
export const serviceLocationOutput = {
  serviceName: (z: Z) => z.string().describe('<name>-service'),
  serviceDir: (z: Z) => z.string().describe('services/<name>-service'),
  protoDir: (z: Z) =>
    z.string().describe("api/proto/<protoPkg>: the service's API"),
  generatedDir: (z: Z) =>
    z.string().describe('pkg/proto/<protoPkg>: its generated Go code'),
};

/**
 * Finds services/<serviceName> under the action's working directory and
 * reads the values it recorded; `byHand` ends the message when there are none.
 */
export function openRecordedService(
  ctx: ActionContext<any, any>,
  serviceName: string,
  byHand?: string,
): RecordedService {
  const resolver = workspaceOf(ctx);
  const root = ctx.input.workingDirectory ?? '.';
  const where = `services/${serviceName}`;
  const dir = resolver.entry(`${root}/services/${serviceName}`, {
    label: 'service directory',
  });
  if (!dir.stats?.isDirectory())
    throw new InputError(
      `${where} was not found: no such service in the monorepo`,
    );
  const base = readRecordedValues(dir.path, serviceName, where, byHand);
  return { root, serviceName, where, dir: dir.path, base, resolver };
}

/** The service's directories in the monorepo: its code, its API and its generated Go code. */
export function serviceDirs(service: RecordedService) {
  const { protoPkg } = service.base;
  return {
    serviceDir: service.where,
    protoDir: `api/proto/${protoPkg}`,
    generatedDir: `pkg/proto/${protoPkg}`,
  };
}

/** Outputs serviceName, serviceDir, protoDir and generatedDir. */
export function outputServiceLocation(
  ctx: ActionContext<any, any>,
  service: RecordedService,
): void {
  const { serviceDir, protoDir, generatedDir } = serviceDirs(service);
  ctx.output('serviceName', service.serviceName);
  ctx.output('serviceDir', serviceDir);
  ctx.output('protoDir', protoDir);
  ctx.output('generatedDir', generatedDir);
}
