import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
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

      const baseFiles = listTreeFiles(base, base, 'base');
      const nextFiles = listTreeFiles(next, next, 'next');
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
      );

      const conflicts = outcomes.filter(o => o.kind === 'conflict');
      if (conflicts.length) {
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
      const copies =
        current === target
          ? []
          : listTreeFiles(current, current, 'current').map(f => ({
              from: path.join(current, ...f.split('/')),
              to: resolver.entryAt(target, f, { label: f, forWrite: true })
                .path,
              file: f,
            }));
      for (const c of copies) refuseInside(c.to, c.file);
      const writes = outcomes.flatMap(o =>
        o.kind === 'added' || o.kind === 'updated' || o.kind === 'merged'
          ? [
              {
                ...o,
                to: resolver.entryAt(target, o.file, {
                  label: o.file,
                  forWrite: true,
                }).path,
              },
            ]
          : [],
      );
      for (const w of writes) refuseInside(w.to, w.file);
      fs.mkdirSync(target, { recursive: true });
      for (const c of copies)
        copyConfinedFile(resolver, c.from, c.to, 'merge destination');
      for (const w of writes)
        writeConfinedFile(resolver, w.to, w.content, {
          label: 'merge destination',
          mode: w.mode,
        });

      const [added, updated, merged] = (
        ['added', 'updated', 'merged'] as const
      ).map(k => files(outcomes, k));
      const changed = [...added, ...updated, ...merged].sort();
      for (const [label, list] of [
        ['added', added],
        ['updated', updated],
        ['merged three-way', merged],
      ] as const) {
        if (list.length) ctx.logger.info(`${label}: ${list.join(', ')}`);
      }
      ctx.logger.info(
        `${changed.length} file(s) changed, ${
          outcomes.length - changed.length
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
      ctx.output('unchanged', outcomes.length - changed.length);
    },
  });
}
