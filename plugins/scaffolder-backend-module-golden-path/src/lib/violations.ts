import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { Violation } from '@golden-path/plugin-golden-path-node';

/** Sets `ok` and `violations`, then fails the step when asked to and something was found. */
export function reportViolations(
  ctx: ActionContext<any, any>,
  tool: string,
  violations: Violation[],
  failOnViolations: boolean | undefined,
): void {
  ctx.output('ok', violations.length === 0);
  ctx.output('violations', violations);
  for (const v of violations) {
    ctx.logger.warn(`${v.path}:${v.line}:${v.column}: ${v.rule}: ${v.message}`);
  }
  if (violations.length && failOnViolations !== false) {
    const first = violations[0];
    // The input's findings: a failure of the input (HTTP 400 in a dry run), not of the backend.
    throw new InputError(
      `${tool} reported ${violations.length} violation(s); first: ${first.path}:${first.line}:${first.column} ${first.rule}: ${first.message}; fix them, or set failOnViolations: false to report them without failing the step`,
    );
  }
}
