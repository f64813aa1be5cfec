import { GoldenPathSettings } from '../lib/settings';
import { createBufCheckAction } from './bufCheckAction';
import { examples } from './bufLint.examples';

/** `buf:lint`: lints the buf module in the working directory. */
export function createBufLintAction(deps: { settings: GoldenPathSettings }) {
  return createBufCheckAction(
    {
      id: 'buf:lint',
      description:
        'Lints protos with buf (rules from buf.yaml), reporting violations with file, line and rule',
      examples,
      args: ['lint', '--error-format', 'json'],
      label: 'buf lint',
      errorsOnStderr: false,
    },
    deps,
  );
}
