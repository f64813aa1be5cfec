import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import { TemplateValuesError, validateMonorepoValues } from '../templateValues';
import { examples } from './monorepoPlan.examples';

/** `golden-path:monorepo:plan`: validates the monorepo form values before any file is written. */
export function createMonorepoPlanAction() {
  return createTemplateAction({
    id: 'golden-path:monorepo:plan',
    description:
      'Checks the Go monorepo template values again on the server (project name, module path, Go version, stage) before any file is written',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        projectName: z =>
          z
            .string()
            .describe('Project name: lowercase letters, digits and hyphens'),
        pkgModule: z =>
          z
            .string()
            .describe('Go module path of pkg/, e.g. github.com/acme/go-pkg'),
        goVersion: z => z.string().describe('Go version, e.g. 1.26'),
        stage: z => z.string().describe('mvp or async'),
      },
      output: {
        servicesModulePrefix: z =>
          z.string().describe('Module prefix of the services (<host>/<owner>)'),
      },
    },
    async handler(ctx) {
      try {
        const values = validateMonorepoValues(ctx.input);
        ctx.output(
          'servicesModulePrefix',
          values.pkgModule.split('/').slice(0, -1).join('/'),
        );
      } catch (e) {
        if (e instanceof TemplateValuesError) throw new InputError(e.message);
        throw e;
      }
    },
  });
}
