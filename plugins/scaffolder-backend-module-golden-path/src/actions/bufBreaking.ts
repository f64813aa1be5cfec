import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import {
  parseBufJsonErrors,
  resolveWorkspacePath,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { checkBufConfigs } from '../lib/bufConfigs';
import { bufLocalInput } from '../lib/bufInput';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  okOutput,
  violationsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { runToolStep, workingDirectory } from '../lib/toolStep';
import { reportViolations } from '../lib/violations';
import { examples } from './bufBreaking.examples';

const GIT_REF = /^[A-Za-z0-9._/-]{1,200}$/;

/** `buf:breaking`: checks the protos against a directory or a git ref of the workspace. */
export function createBufBreakingAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'buf:breaking',
    description:
      'Detects breaking proto changes (rules from buf.yaml) against another directory of the workspace or a git ref of the workspace repository',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        againstDirectory: z =>
          z
            .string()
            .optional()
            .describe('Directory of the workspace holding the previous protos'),
        againstGitRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch or tag of the workspace git repository to compare with',
            ),
        failOnViolations: failOnViolationsField,
      },
      output: { ok: okOutput, violations: violationsOutput },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const { againstDirectory, againstGitRef } = ctx.input;
      if (!againstDirectory === !againstGitRef) {
        throw new InputError(
          'give exactly one of againstDirectory or againstGitRef',
        );
      }
      checkBufConfigs(ctx, [cwd], deps.settings.allowedPlugins);
      let against: string;
      // Inputs are absolute confined paths with an explicit format: nothing of a path is read as an option.
      if (againstDirectory) {
        const dir = resolveWorkspacePath(ctx.workspacePath, againstDirectory, {
          label: 'againstDirectory',
        });
        checkBufConfigs(ctx, [dir], deps.settings.allowedPlugins);
        against = bufLocalInput(dir, 'againstDirectory', againstDirectory, {
          format: 'dir',
        });
      } else {
        if (!GIT_REF.test(againstGitRef!) || againstGitRef!.includes('..')) {
          throw new InputError(
            `againstGitRef "${againstGitRef}" is not a branch or tag name`,
          );
        }
        const gitDir = resolveWorkspacePath(ctx.workspacePath, '.git', {
          label: '.git',
        });
        // A .git file ("gitdir: <path>") would make git read a repository elsewhere.
        if (!fs.lstatSync(gitDir, { throwIfNoEntry: false })?.isDirectory()) {
          throw new InputError(
            'againstGitRef needs the workspace to be a git repository: its .git is missing or not a directory (a .git file points at a repository elsewhere); check out the repository into the workspace',
          );
        }
        const subdir = path.relative(ctx.workspacePath, cwd) || '.';
        against = bufLocalInput(
          gitDir,
          'workingDirectory',
          ctx.input.workingDirectory ?? '.',
          {
            format: 'git',
            ref: againstGitRef!,
            subdir,
          },
        );
      }
      const result = await runToolStep(ctx, {
        settings: deps.settings,
        actionId: 'buf:breaking',
        tool: 'buf',
        args: ['breaking', '--error-format', 'json', '--against', against],
        cwd,
        allowedExitCodes: [100],
      });
      reportViolations(
        ctx,
        'buf breaking',
        parseBufJsonErrors(result.stdout),
        ctx.input.failOnViolations,
      );
    },
  });
}
