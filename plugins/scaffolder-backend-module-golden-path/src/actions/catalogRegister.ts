import { InputError } from '@backstage/errors';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '../lib/templateAction';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { examples } from './catalogRegister.examples';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
/** While the entity is not readable (one attempt a second), a refresh of it every this many attempts. */
const REFRESH_EVERY_ATTEMPTS = 5;

type Credentials = Parameters<
  CatalogService['refreshEntity']
>[1]['credentials'];

/** Refreshes the entity and the Location entity of the registered location (best effort). */
async function refreshEntityAndLocation(
  catalog: CatalogService,
  ref: CompoundEntityRef,
  location: { type: string; target: string },
  credentials: Credentials,
) {
  const refs = [stringifyEntityRef(ref)];
  const locations = await catalog
    .getEntities(
      {
        filter: {
          kind: 'Location',
          'spec.type': location.type,
          'spec.target': location.target,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    )
    .catch(() => ({ items: [] }));
  for (const entity of locations.items) refs.push(stringifyEntityRef(entity));
  for (const entityRef of refs)
    await catalog
      .refreshEntity(entityRef, { credentials })
      .catch(() => undefined);
}

/**
 * `golden-path:catalog:register`: registers a published catalog-info.yaml
 * with the initiator's credentials and waits until its entity can be read.
 */
export function createCatalogRegisterAction(deps: {
  settings: GoldenPathSettings;
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'golden-path:catalog:register',
    description:
      "Registers a catalog-info.yaml (a URL, or a directory published under the local root) with the task initiator's credentials, and waits until its entity is readable so the output link never 404s",
    examples,
    schema: {
      input: {
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'URL of the catalog-info.yaml (GitHub and other integrations)',
            ),
        localPath: z =>
          z
            .string()
            .optional()
            .describe(
              'A directory published with golden-path:publish:local, relative to the local root',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Path of the descriptor inside localPath (default catalog-info.yaml)',
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Entity to wait for (default: the first entity of the descriptor)',
            ),
        waitSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(600)
            .optional()
            .describe('How long to wait for the entity (default 60)'),
      },
      output: {
        entityRef: z => z.string().describe('The registered entity'),
        entityUrl: z =>
          z.string().describe('Path of its catalog page in the app'),
        locationTarget: z =>
          z.string().describe('The registered location target'),
      },
    },
    async handler(ctx) {
      const { catalogInfoUrl, localPath } = ctx.input;
      if (!catalogInfoUrl === !localPath)
        throw new InputError('give exactly one of catalogInfoUrl or localPath');
      let type: 'url' | 'file';
      let target: string;
      let wanted = ctx.input.entityRef;
      if (localPath) {
        const { local, target: dir } = resolveUnderLocalRoot(
          deps.settings.localRoots,
          localPath,
          'localPath',
        );
        const rel = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
        if (path.isAbsolute(rel))
          throw new InputError(
            `catalogInfoPath "${rel}" is absolute; give a path relative to localPath`,
          );
        // Confined like every path under the root: no escape, no symlink out.
        const file = local.entryAt(dir, rel, { label: 'catalogInfoPath' });
        if (!file.stats?.isFile())
          throw new InputError(
            `catalogInfoPath "${rel}" is not a file in ${localPath} under the local publish root: publish first`,
          );
        target = file.realPath;
        type = 'file';
        if (!wanted) {
          const first = parseAllDocuments(fs.readFileSync(target, 'utf8'))
            .map(d => d.toJS())
            .find(e => e?.kind && e?.metadata?.name);
          if (first)
            wanted = stringifyEntityRef({
              kind: first.kind,
              namespace: first.metadata.namespace,
              name: first.metadata.name,
            });
        }
      } else {
        type = 'url';
        target = catalogInfoUrl!;
        if (!/^https?:\/\//.test(target))
          throw new InputError(
            `catalogInfoUrl "${target}" must be an http(s) URL`,
          );
      }
      const credentials = await ctx.getInitiatorCredentials();
      const result = await deps.catalog.addLocation(
        { type, target },
        { credentials },
      );
      if (!wanted) {
        const first = result.entities?.[0];
        if (!first) throw new Error(`the location ${target} holds no entity`);
        wanted = stringifyEntityRef(first);
      }
      const ref = parseEntityRef(wanted, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      const deadline = Date.now() + (ctx.input.waitSeconds ?? 60) * 1000;
      for (let attempt = 1; ; attempt++) {
        if (ctx.signal?.aborted)
          throw new Error('cancelled while waiting for the catalog');
        const entity = await deps.catalog.getEntityByRef(ref, { credentials });
        if (entity) break;
        // Another location can claim the entity first: a monorepo's
        // services/*/catalog-info.yaml read while the service was being
        // published, its processing failed (a $text file not yet there) and
        // not retried before its next refresh, minutes later. Or the
        // processing of the location registered here lost a race (two
        // replicas, or two locations emitting the same child: a "Conflicting
        // write" the catalog retries only at its next refresh). Asking for a
        // refresh of the entity and of that location processes them again
        // now; refused (no such entity yet, no refresh permission) it
        // changes nothing.
        if (attempt % REFRESH_EVERY_ATTEMPTS === 0)
          await refreshEntityAndLocation(
            deps.catalog,
            ref,
            { type, target },
            credentials,
          );
        if (Date.now() > deadline) {
          throw new Error(
            `${stringifyEntityRef(
              ref,
            )} was registered but is not readable yet; check the catalog's processing errors for ${target}`,
          );
        }
        await sleep(1000);
      }
      ctx.output('entityRef', stringifyEntityRef(ref));
      ctx.output(
        'entityUrl',
        `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase('en-US')}/${
          ref.name
        }`,
      );
      ctx.output('locationTarget', target);
    },
  });
}
