import {
  ANNOTATION_LOCATION,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createTemplateAction } from '../lib/templateAction';
import {
  checkSourceProvenance,
  copyConfinedFile,
  entitySourceLocation,
  formatSourceLocation,
  realPathUnderRoots,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TREE_LIMITS, listTreeFiles } from '../lib/fileTree';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { filesOutput } from '../lib/schemas';
import { workspaceOf } from '../lib/toolStep';
import { examples } from './localCheckout.examples';

/**
 * Checks that whoever runs the task may read the service's catalog entity
 * (with the task's credentials, in a dry run too) and that the entity's
 * source is the monorepo about to be read; one line otherwise, the same for
 * an entity that does not exist and one the caller may not see.
 */
async function checkServiceEntity(
  ctx: ActionContext<any, any>,
  catalog: CatalogService,
  entityRef: string,
  monorepo: string,
  localPath: string,
  localRoots: string[],
): Promise<string> {
  let ref;
  try {
    ref = parseEntityRef(entityRef, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(
      `entityRef "${entityRef}" is not an entity reference (kind:namespace/name): ${
        (e as Error).message
      }`,
    );
  }
  const refText = stringifyEntityRef(ref);
  const credentials = await ctx.getInitiatorCredentials();
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new InputError(
      `${refText} was not found in the catalog, or you may not read it: only services you can see in the catalog can be checked out`,
    );
  }
  let location;
  try {
    location = entitySourceLocation(entity);
  } catch (e) {
    throw new InputError(`${refText}: ${(e as Error).message}`);
  }
  const source =
    location.type === 'dir'
      ? await realPathUnderRoots(location.target, localRoots)
      : undefined;
  if (source !== monorepo) {
    throw new InputError(
      `${refText} has its source at ${formatSourceLocation(
        location,
      )}, not in localPath "${localPath}" under the local publish root: check out the monorepo the service belongs to`,
    );
  }
  // The source-location annotation is the entity author's to write (anyone
  // who may register a location could claim any monorepo with it); where the
  // catalog read the entity from is the catalog's own. That must be a file
  // of this monorepo.
  const managed = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  const file = managed ? /^file:(.+)$/.exec(managed.trim())?.[1] : undefined;
  if (
    !file ||
    !(await realPathUnderRoots(path.dirname(path.resolve(file)), [monorepo]))
  ) {
    throw new InputError(
      `${refText} was not read into the catalog from a file of localPath "${localPath}" (${ANNOTATION_LOCATION} ${
        managed ?? 'missing'
      }): only a service registered from the catalog-info.yaml in its monorepo can check it out`,
    );
  }
  // The bundle's one provenance rule (the insights' and the fleet's): the
  // source must be inside the git repository holding the catalog file, so a
  // repository nested in a directory (a multi-segment localPath's layout)
  // cannot claim that directory and its sibling repositories.
  try {
    await checkSourceProvenance(entity, location, localRoots);
  } catch (e) {
    throw new InputError(`${refText}: ${(e as Error).message}`);
  }
  return refText;
}

/**
 * `golden-path:local:checkout`: copies parts of a monorepo published under the
 * local root into the task workspace, the local counterpart of fetch:plain
 * for day-2 templates. Reads only below the allow-listed roots, and only the
 * monorepo of a service entity the task's initiator may read.
 */
export function createLocalCheckoutAction(deps: {
  settings: GoldenPathSettings;
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'golden-path:local:checkout',
    description:
      'Copies files and directories of a monorepo published under the local root (goldenPath.publish.local.allowedRoots) into the task workspace, for templates that change an existing service; refuses symlinks and anything outside the root',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The service to check out, e.g. component:default/order-service: the task initiator must be able to read this catalog entity, and its source location must be the monorepo at localPath',
            ),
        localPath: z =>
          z
            .string()
            .describe(
              'The monorepo directory under the local publish root, e.g. shop',
            ),
        paths: z =>
          z
            .array(z.string())
            .min(1)
            .max(50)
            .describe(
              'Files or directories of the monorepo to copy, e.g. services/order-service, api/proto',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory to copy them into, keeping their paths (default: the root)',
            ),
        skipMissing: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Skip the paths the monorepo does not have (a monorepo's shared files the team deleted) instead of refusing them; default false",
            ),
      },
      output: {
        sourcePath: z =>
          z.string().describe('Absolute path of the monorepo directory read'),
        files: filesOutput,
      },
    },
    async handler(ctx) {
      const { target: monorepo } = resolveUnderLocalRoot(
        deps.settings.localRoots,
        ctx.input.localPath,
        'localPath',
      );
      // Who asks, before anything under the root is looked at.
      const service = await checkServiceEntity(
        ctx,
        deps.catalog,
        ctx.input.entityRef,
        monorepo,
        ctx.input.localPath,
        deps.settings.localRoots,
      );
      const resolver = workspaceOf(ctx);
      const targetRel = ctx.input.targetPath ?? '.';
      const target = resolver.entry(targetRel, {
        label: 'targetPath',
        forWrite: true,
      }).path;

      // Plan every copy (reads and path checks) before writing one.
      const copies: { from: string; to: string; file: string }[] = [];
      const skipped: string[] = [];
      let total = 0;
      for (const p of [...new Set(ctx.input.paths)]) {
        const { target: source } = resolveUnderLocalRoot(
          deps.settings.localRoots,
          `${ctx.input.localPath}/${p.replace(/\/+$/, '')}`,
          'paths',
          // A monorepo's shared files include .github and .golden-path (never .git).
          { dotfiles: true },
        );
        if (!fs.existsSync(source)) {
          if (ctx.input.skipMissing) {
            skipped.push(p);
            continue;
          }
          throw new InputError(
            `${p} was not found in ${ctx.input.localPath} (under the local publish root)`,
          );
        }
        if (
          source !== path.join(monorepo, ...p.replace(/\/+$/, '').split('/'))
        ) {
          throw new InputError(
            `paths: ${p} goes through a symlink in ${ctx.input.localPath}; only regular files and directories are copied`,
          );
        }
        const found = listTreeFiles(
          source,
          monorepo,
          `${ctx.input.localPath}/${p}`,
        );
        total += found.length;
        if (total > DEFAULT_TREE_LIMITS.maxFiles) {
          throw new InputError(
            `paths hold more than ${DEFAULT_TREE_LIMITS.maxFiles} files; refusing to copy them`,
          );
        }
        for (const file of found) {
          copies.push({
            from: path.join(monorepo, ...file.split('/')),
            to: resolver.entryAt(target, file, { label: file, forWrite: true })
              .path,
            file,
          });
        }
      }
      for (const c of copies) {
        if (fs.lstatSync(c.to, { throwIfNoEntry: false })) {
          throw new InputError(
            `${path.relative(
              resolver.root,
              c.to,
            )} already exists in the workspace; check out into an empty directory`,
          );
        }
      }
      for (const c of copies)
        copyConfinedFile(resolver, c.from, c.to, 'checkout destination');
      ctx.logger.info(
        `copied ${copies.length} file(s) of ${
          ctx.input.localPath
        } (the monorepo of ${service}) into ${targetRel}${
          skipped.length ? `; not in it: ${skipped.join(', ')}` : ''
        }`,
      );
      ctx.output('sourcePath', monorepo);
      ctx.output(
        'files',
        copies.map(c =>
          path.relative(resolver.root, c.to).split(path.sep).join('/'),
        ),
      );
    },
  });
}
