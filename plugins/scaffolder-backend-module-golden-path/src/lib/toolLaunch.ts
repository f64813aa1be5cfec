import { Launch, locateBinary, MissingBinaryError, toolLauncher } from '@golden-path/plugin-golden-path-node';
import { GoldenPathSettings } from './settings';

const LAUNCHER = 'golden-path-launcher';

/**
 * How the actions start tools: through golden-path-launcher when it is
 * installed (the backend then never forks itself), else with Node's spawn.
 * A launcher set in config must exist.
 */
export function toolLaunch(settings: GoldenPathSettings): Launch | undefined {
  try {
    const binary = locateBinary(LAUNCHER, {
      configuredPath: settings.binaries.launcher,
      toolsDir: settings.toolsDir,
      configKey: 'goldenPath.tools.launcher',
    });
    return toolLauncher(binary).launch;
  } catch (e) {
    if (e instanceof MissingBinaryError && !settings.binaries.launcher) return undefined;
    throw e;
  }
}
