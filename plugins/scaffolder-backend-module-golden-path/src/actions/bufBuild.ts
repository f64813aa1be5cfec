import { GoldenPathSettings } from '../lib/settings';
import { createBufCheckAction } from './bufCheckAction';
import { examples } from './bufBuild.examples';

/** `buf:build`: compiles the buf module, reporting compile errors as violations. */
export function createBufBuildAction(deps: { settings: GoldenPathSettings }) {
  return createBufCheckAction(
    {
      id: 'buf:build',
      description:
        'Compiles the protos of a buf module and reports compile errors with file and line',
      examples,
      args: ['build', '--error-format', 'json', '-o', '/dev/null'],
      label: 'buf build',
      errorsOnStderr: true,
    },
    deps,
  );
}
