// Values for the repository's templates, from their values/ examples, as the
// suites submit them in real tasks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.mjs';

/** The go-monorepo template's mvp values for a monorepo `name`, published locally under the same name. */
export function mvpMonorepoValues(name) {
  return {
    ...JSON.parse(
      readFileSync(join(ROOT, 'templates/go-monorepo/values/mvp.json'), 'utf8'),
    ),
    projectName: name,
    localPath: name,
  };
}
