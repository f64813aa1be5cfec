import {
  Launch,
  locateBinary,
  MissingBinaryError,
  toolLauncher,
} from '@golden-path/plugin-golden-path-node';
import { GoldenPathSettings } from './settings';

const LAUNCHER = 'golden-path-launcher';

/** The launcher binary the actions use, or undefined when they use Node's spawn. */
export function launcherBinary(
  settings: GoldenPathSettings,
): string | undefined {
  try {
    return locateBinary(LAUNCHER, {
      configuredPath: settings.binaries.launcher,
      toolsDir: settings.toolsDir,
      configKey: 'goldenPath.tools.launcher',
    });
  } catch (e) {
    if (e instanceof MissingBinaryError && !settings.binaries.launcher)
      return undefined;
    throw e;
  }
}

/**
 * How the actions start tools: through golden-path-launcher when it is
 * installed (the backend then does not fork itself per run), else with Node's spawn.
 * A launcher set in config must exist.
 */
export function toolLaunch(settings: GoldenPathSettings): Launch | undefined {
  const binary = launcherBinary(settings);
  return binary ? toolLauncher(binary).launch : undefined;
}
