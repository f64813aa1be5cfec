import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  groupEntityV1alpha1Validator,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '../lib/templateAction';
import { resolveWorkspacePath } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { examples } from './teamWrite.examples';

const validator = makeValidator();

/**
 * `golden-path:team:write`: checks that a new team's Group does not exist yet
 * and writes its entity into the workspace, validated by the catalog model.
 */
export function createTeamWriteAction(deps: {
  catalog: CatalogService;
  auth: AuthService;
}) {
  return createTemplateAction({
    id: 'golden-path:team:write',
    description:
      "Writes the Group entity of a new team (validated with the catalog model) after checking, with the initiator's credentials, that no Group of that name exists",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Group name: lowercase letters, digits and hyphens, e.g. team-orders',
            ),
        displayName: z =>
          z.string().optional().describe('Display name, e.g. Orders team'),
        description: z => z.string().optional().describe('What the team does'),
        email: z => z.string().optional().describe('Team email'),
        parent: z =>
          z
            .string()
            .optional()
            .describe('Parent group ref, e.g. group:default/engineering'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write, relative to the workspace (default org/<name>.yaml)',
            ),
      },
      output: {
        entityRef: z => z.string().describe('The Group entity ref'),
        path: z =>
          z.string().describe('The written file, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      if (
        !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name) ||
        !validator.isValidEntityName(name)
      ) {
        throw new InputError(
          `team name "${name}" must be lowercase letters, digits and hyphens (at most 63), e.g. team-orders`,
        );
      }
      if (ctx.input.parent) {
        const parent = parseEntityRef(ctx.input.parent, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
        if (parent.kind.toLocaleLowerCase('en-US') !== 'group') {
          throw new InputError(
            `parent "${ctx.input.parent}" must be a Group ref, e.g. group:default/engineering`,
          );
        }
      }
      const ref = { kind: 'Group', namespace: 'default', name };
      const entityRef = stringifyEntityRef(ref);
      const credentials = await ctx.getInitiatorCredentials();
      if (await deps.catalog.getEntityByRef(ref, { credentials })) {
        throw new InputError(
          `the team ${entityRef} already exists: pick another name, or open its Golden Path page`,
        );
      }
      // The user may not see every Group; a hidden one would make the new one a conflict.
      const service = await deps.auth.getOwnServiceCredentials();
      if (await deps.catalog.getEntityByRef(ref, { credentials: service })) {
        throw new InputError(
          `a team named ${name} already exists but you may not see it: pick another name or ask its owners`,
        );
      }
      const entity: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          name,
          ...(ctx.input.description
            ? { description: ctx.input.description }
            : {}),
          annotations: { 'golden-path.dev/onboarded': 'true' },
        },
        spec: {
          type: 'team',
          profile: {
            ...(ctx.input.displayName
              ? { displayName: ctx.input.displayName }
              : {}),
            ...(ctx.input.email ? { email: ctx.input.email } : {}),
          },
          ...(ctx.input.parent ? { parent: ctx.input.parent } : {}),
          children: [],
        },
      };
      try {
        if (!(await groupEntityV1alpha1Validator.check(entity)))
          throw new Error('not a Group');
      } catch (e) {
        throw new InputError(
          `Group "${name}" is not a valid catalog entity: ${
            (e as Error).message
          }`,
        );
      }
      const target = ctx.input.targetPath ?? `org/${name}.yaml`;
      const file = resolveWorkspacePath(ctx.workspacePath, target, {
        label: 'targetPath',
        forWrite: true,
      });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, stringify(entity));
      ctx.logger.info(`wrote ${entityRef} to ${target}`);
      ctx.output('entityRef', entityRef);
      ctx.output('path', target);
    },
  });
}
