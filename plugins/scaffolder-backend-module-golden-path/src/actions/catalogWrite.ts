import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createTemplateAction } from '../lib/templateAction';
import { resolveWorkspacePath } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildServiceEntities } from '../lib/serviceEntities';
import { examples } from './catalogWrite.examples';

const ENTITY_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `golden-path:catalog:write`: writes the validated catalog entities of a new
 * Go service (Component, gRPC API, database Resource) into the workspace.
 */
export function createCatalogWriteAction() {
  return createTemplateAction({
    id: 'golden-path:catalog:write',
    description:
      'Writes the catalog-info.yaml of a new Go service: a Component (type service) providing its gRPC API and depending on its database, an API of type grpc whose definition is its proto, and a Resource of type database, validated with the catalog model validators',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Component name, e.g. order-service'),
        owner: z =>
          z.string().describe('Owner entity ref, e.g. group:default/team-a'),
        system: z =>
          z.string().describe('System entity ref, e.g. system:default/shop'),
        description: z =>
          z.string().optional().describe('Component description'),
        lifecycle: z =>
          z.string().optional().describe('Lifecycle (default experimental)'),
        serviceDir: z =>
          z
            .string()
            .describe(
              'Service directory relative to the repository root, e.g. services/order-service',
            ),
        protoPath: z =>
          z
            .string()
            .describe(
              'Proto file of the API relative to the catalog-info.yaml',
            ),
        sourceLocation: z =>
          z
            .string()
            .optional()
            .describe(
              'backstage.io/source-location of the service (url:... or dir:...)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write, relative to the workspace (default <serviceDir>/catalog-info.yaml)',
            ),
      },
      output: {
        entityRef: z => z.string().describe('The Component entity ref'),
        apiRef: z => z.string().describe('The API entity ref'),
        resourceRef: z => z.string().describe('The Resource entity ref'),
        catalogInfoPath: z =>
          z.string().describe('The written file, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const { name, serviceDir, protoPath } = ctx.input;
      if (!ENTITY_NAME.test(name)) {
        throw new InputError(
          `name "${name}" must be lowercase letters, digits and hyphens (at most 63), e.g. order-service`,
        );
      }
      resolveWorkspacePath(ctx.workspacePath, serviceDir, {
        label: 'serviceDir',
      });
      const target =
        ctx.input.targetPath ??
        path.posix.join(serviceDir, 'catalog-info.yaml');
      const file = resolveWorkspacePath(ctx.workspacePath, target, {
        label: 'targetPath',
        forWrite: true,
      });
      const proto = resolveWorkspacePath(
        ctx.workspacePath,
        path.posix.join(path.posix.dirname(target), protoPath),
        {
          label: 'protoPath',
        },
      );
      if (!fs.existsSync(proto))
        throw new InputError(
          `protoPath "${protoPath}" does not exist next to ${target}`,
        );
      const entities = await buildServiceEntities({
        name,
        owner: ctx.input.owner,
        system: ctx.input.system,
        description: ctx.input.description,
        lifecycle: ctx.input.lifecycle ?? 'experimental',
        serviceDir,
        protoPath,
        sourceLocation: ctx.input.sourceLocation,
      });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        entities.map(e => `---\n${stringify(e)}`).join(''),
      );
      ctx.logger.info(
        `wrote ${entities
          .map(e => stringifyEntityRef(e))
          .join(', ')} to ${target}`,
      );
      ctx.output('entityRef', stringifyEntityRef(entities[0]));
      ctx.output('apiRef', stringifyEntityRef(entities[1]));
      ctx.output('resourceRef', stringifyEntityRef(entities[2]));
      ctx.output('catalogInfoPath', target);
    },
  });
}
