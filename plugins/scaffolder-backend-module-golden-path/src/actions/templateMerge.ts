import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import fs from 'node:fs';
import path from 'node:path';
import {
  copyConfinedFile,
  isUnder,
  writeConfinedFile,
} from '@golden-path/plugin-golden-path-node';
import { listTreeFiles } from '../lib/fileTree';
import { gitMergeFile } from '../lib/gitMergeFile';
import { GoldenPathSettings } from '../lib/settings';
import { MergeOutcome, planTemplateMerge } from '../lib/templateMerge';
import { workspaceOf } from '../lib/toolStep';
import { examples } from './templateMerge.examples';

function directory(
  ctx: any,
  rel: string,
  label: string,
  forWrite = false,
): string {
  const entry = workspaceOf(ctx).entry(rel, { label, forWrite });
  if (entry.stats && !entry.stats.isDirectory()) {
    throw new InputError(
      `${label} "${rel}" is not a directory in the task workspace`,
    );
  }
  if (!entry.stats && !forWrite)
    throw new InputError(
      `${label} "${rel}" does not exist in the task workspace`,
    );
  return entry.path;
}

const files = (outcomes: MergeOutcome[], kind: MergeOutcome['kind']) =>
  outcomes.filter(o => o.kind === kind).map(o => o.file);

/**
 * `golden-path:template:merge`: applies the change between two renders of a
 * template (the values a service was made with, and new values) to the
 * service as it is now, keeping the team's own edits: a day-2 template's
 * update, touching only the files it must.
 */
export function createTemplateMergeAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'golden-path:template:merge',
    description:
      'Applies the change between two renders of a template (base: the values the service was made with; next: the new values) to the service as it is: new files are added, files the team did not edit are replaced, edited ones are merged three-way with git merge-file. Any conflict fails the step with the list of files, and nothing is written',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        base: z =>
          z
            .string()
            .describe(
              'Workspace directory of the render with the values the service was made with',
            ),
        next: z =>
          z
            .string()
            .describe('Workspace directory of the render with the new values'),
        current: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory holding the service as it is (default: targetPath, updated in place)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory to write the result to (default: the root); current is copied there first',
            ),
        deleteRemoved: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Delete the files the next render no longer has, where the service has them as the base render made them (an upgrade); default false: any such file is a conflict',
            ),
        paths: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              "Only the files under these paths of the renders are merged (the paths the service was checked out with); the renders' other files are left alone. Default: every file",
            ),
        onConflict: z =>
          z
            .enum(['fail', 'markers'])
            .optional()
            .describe(
              'fail (default): any conflict fails the step and nothing is written; markers: conflicting files are written with conflict markers (files that cannot hold markers are kept as the service has them) and listed in conflicts',
            ),
      },
      output: {
        added: z =>
          z.array(z.string()).describe('Files only the new render has, added'),
        updated: z =>
          z
            .array(z.string())
            .describe(
              'Files the team had not edited, replaced by the new render',
            ),
        merged: z =>
          z
            .array(z.string())
            .describe('Files the team had edited, merged three-way'),
        files: z =>
          z
            .array(z.string())
            .describe(
              'Every file added, updated or merged, relative to targetPath',
            ),
        unchanged: z =>
          z
            .number()
            .describe('Files of the renders the change leaves as they are'),
        deleted: z =>
          z
            .array(z.string())
            .describe(
              'Files the template removed and the service had as rendered, deleted (deleteRemoved)',
            ),
        conflicts: z =>
          z
            .array(z.string())
            .describe(
              'Files in conflict (onConflict markers; with fail the step fails instead)',
            ),
      },
    },
    async handler(ctx) {
      const resolver = workspaceOf(ctx);
      const base = directory(ctx, ctx.input.base, 'base');
      const next = directory(ctx, ctx.input.next, 'next');
      const targetRel = ctx.input.targetPath ?? '.';
      const target = directory(ctx, targetRel, 'targetPath', true);
      const current =
        ctx.input.current === undefined
          ? target
          : directory(ctx, ctx.input.current, 'current');
      if (base === next)
        throw new InputError(
          'base and next are the same directory: nothing to merge',
        );
      // The renders (and a separate current) are read while the result is written.
      const readOnly =
        current === target ? [base, next] : [base, next, current];
      const refuseInside = (p: string, label: string) => {
        const dir = readOnly.find(d => isUnder(d, p));
        if (dir)
          throw new InputError(
            `${label} would be written inside ${path.relative(
              resolver.root,
              dir,
            )}, which the merge reads`,
          );
      };
      refuseInside(target, `targetPath "${targetRel}"`);

      // A day-2 change checks out only the service's own paths: a render's file
      // elsewhere (the monorepo's deploy/) is not one the service deleted.
      const inScope = mergeScope(ctx.input.paths);
      const baseFiles = listTreeFiles(base, base, 'base').filter(inScope);
      const nextFiles = listTreeFiles(next, next, 'next').filter(inScope);
      const outcomes = await planTemplateMerge(
        { base, next, current },
        baseFiles,
        nextFiles,
        (c, b, n, file) =>
          gitMergeFile(c, b, n, {
            settings: deps.settings,
            labels: [
              `${file} (the service)`,
              `${file} (template, before)`,
              `${file} (template, after)`,
            ],
            signal: ctx.signal,
          }),
        { deleteRemoved: ctx.input.deleteRemoved ?? false },
      );

      const markers = ctx.input.onConflict === 'markers';
      const conflicts = outcomes.filter(o => o.kind === 'conflict');
      if (conflicts.length && !markers) {
        for (const c of conflicts) {
          if (c.kind === 'conflict' && c.preview)
            ctx.logger.warn(`conflict in ${c.file}:\n${c.preview}`);
        }
        throw new InputError(
          `the update conflicts with the service in ${
            conflicts.length
          } file(s); nothing was written:\n${conflicts
            .map(c => `- ${c.file}: ${c.kind === 'conflict' ? c.reason : ''}`)
            .join('\n')}`,
        );
      }

      // Copy the service, then write the changes; every path is checked before any write.
      const deleted = new Set(files(outcomes, 'deleted'));
      const copies =
        current === target
          ? []
          : listTreeFiles(current, current, 'current')
              .filter(f => !deleted.has(f))
              .map(f => ({
                from: path.join(current, ...f.split('/')),
                to: resolver.entryAt(target, f, { label: f, forWrite: true })
                  .path,
                file: f,
              }));
      for (const c of copies) refuseInside(c.to, c.file);
      const writes = outcomes.flatMap(o =>
        o.kind === 'added' ||
        o.kind === 'updated' ||
        o.kind === 'merged' ||
        (o.kind === 'conflict' && markers && o.content)
          ? [
              {
                file: o.file,
                content: o.content!,
                mode: o.mode!,
                to: resolver.entryAt(target, o.file, {
                  label: o.file,
                  forWrite: true,
                }).path,
              },
            ]
          : [],
      );
      for (const w of writes) refuseInside(w.to, w.file);
      const removals =
        current === target
          ? [...deleted].map(
              f =>
                resolver.entryAt(target, f, { label: f, forWrite: true }).path,
            )
          : [];
      fs.mkdirSync(target, { recursive: true });
      for (const c of copies)
        copyConfinedFile(resolver, c.from, c.to, 'merge destination');
      for (const w of writes)
        writeConfinedFile(resolver, w.to, w.content, {
          label: 'merge destination',
          mode: w.mode,
        });
      for (const r of removals) fs.rmSync(r, { force: true });

      const [added, updated, merged] = (
        ['added', 'updated', 'merged'] as const
      ).map(k => files(outcomes, k));
      const changed = [...added, ...updated, ...merged].sort();
      const conflicted = conflicts.map(c => c.file);
      for (const [label, list] of [
        ['added', added],
        ['updated', updated],
        ['merged three-way', merged],
        ['deleted', [...deleted]],
        ['in conflict (written with markers where possible)', conflicted],
      ] as const) {
        if (list.length) ctx.logger.info(`${label}: ${list.join(', ')}`);
      }
      ctx.logger.info(
        `${changed.length} file(s) changed, ${
          files(outcomes, 'unchanged').length
        } of the render unchanged${
          copies.length
            ? `; ${copies.length} file(s) of the service copied to ${targetRel}`
            : ''
        }`,
      );
      ctx.output('added', added);
      ctx.output('updated', updated);
      ctx.output('merged', merged);
      ctx.output('files', changed);
      ctx.output('unchanged', files(outcomes, 'unchanged').length);
      ctx.output('deleted', [...deleted].sort());
      ctx.output('conflicts', conflicted);
    },
  });
}

/** The filter of {@link createTemplateMergeAction}'s `paths`: relative paths, no `..`. */
function mergeScope(paths: string[] | undefined) {
  if (paths === undefined) return () => true;
  const roots = paths.map(p => {
    const normal = path.posix.normalize(p).replace(/\/+$/, '');
    if (
      !p ||
      path.posix.isAbsolute(p) ||
      normal === '.' ||
      normal === '..' ||
      normal.startsWith('../') ||
      normal !== p.replace(/\/+$/, '')
    )
      throw new InputError(
        `paths: "${p}" is not a plain relative path inside the renders (like services/orders-service); fix the template's merge step`,
      );
    return normal;
  });
  return (file: string) =>
    roots.some(root => file === root || file.startsWith(`${root}/`));
}
