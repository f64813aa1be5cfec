import { z as zod } from 'zod/v3';

type Z = typeof zod;

/** Input fields shared by the tool actions. */
export const workingDirectoryField = (z: Z) =>
  z
    .string()
    .optional()
    .describe(
      'Directory of the task workspace to run in, relative to the workspace root (default: the root)',
    );

/** The Atlas actions' migration directory. */
export const migrationDirField = (z: Z) =>
  z
    .string()
    .optional()
    .describe(
      'Migration directory, relative to workingDirectory (default migrations)',
    );

export const failOnViolationsField = (z: Z) =>
  z
    .boolean()
    .optional()
    .describe(
      'Fail the step when the tool reports violations (default true); set false to branch on the output',
    );

export const violationsOutput = (z: Z) =>
  z
    .array(
      z.object({
        path: z.string().describe('File, relative to the working directory'),
        line: z.number().describe('Line, 1-based (0 when unknown)'),
        column: z.number().describe('Column, 1-based (0 when unknown)'),
        rule: z.string().describe('Rule or error kind reported by the tool'),
        message: z.string().describe('What the tool said'),
      }),
    )
    .describe('Findings of the tool');

export const okOutput = (z: Z) =>
  z.boolean().describe('True when the tool reported nothing');

export const filesOutput = (z: Z) =>
  z
    .array(z.string())
    .describe('Files created or changed, relative to the workspace root');

/** The versions of a migration directory's files. */
export const migrationVersionsOutput = (z: Z) =>
  z.array(z.string()).describe('Versions of the migration files, in order');
