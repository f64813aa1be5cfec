import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { goldenPathPlugin } from './plugin';
import { replicaSafetyProblem } from './service/replicaSafety';

/**
 * The golden-path backend as a backend installs it: the plugin, behind the
 * replica settings check. A feature loader runs before any plugin of the
 * backend initialises, so a refused replica starts nothing. Refused in the
 * plugin's own init, the scaffolder beside it had already started its task
 * workers, and the refusing process claimed tasks from the shared queue and
 * left them half-run.
 *
 * @public
 */
export const goldenPathBackend = createBackendFeatureLoader({
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
  },
  loader({ config, logger }) {
    const problem = replicaSafetyProblem(config);
    if (problem) {
      logger.error(problem);
      throw new Error(problem);
    }
    return [goldenPathPlugin];
  },
});
