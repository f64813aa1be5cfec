import { Config } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** The scaffolder module's configuration, read once at start-up. */
export interface GoldenPathSettings {
  toolsDir?: string;
  binaries: { buf?: string; sqlc?: string; atlas?: string; git?: string; launcher?: string };
  allowedPlugins: string[];
  goproxy?: string;
  timeouts: Record<string, number>;
  defaultTimeoutMs: number;
  atlasDevDatabase: string;
  localRoots: string[];
}

const DEFAULT_PLUGINS = ['protoc-gen-go', 'protoc-gen-go-grpc'];

function parseDuration(value: HumanDuration | string, key: string): number {
  if (typeof value === 'string') {
    const m = /^(\d+)\s*(ms|s|m|h)$/.exec(value.trim());
    if (!m) throw new Error(`${key}: "${value}" is not a duration like "90s" or "5m"`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    return Number(m[1]) * unit;
  }
  return durationToMilliseconds(value);
}

/** Reads `goldenPath.*` from config, with the local defaults. */
export function readSettings(config: Config): GoldenPathSettings {
  const tools = config.getOptionalConfig('goldenPath.tools');
  const timeouts: Record<string, number> = {};
  const timeoutConfig = tools?.getOptionalConfig('timeouts');
  for (const key of timeoutConfig?.keys() ?? []) {
    timeouts[key] = parseDuration(
      timeoutConfig!.get(key) as HumanDuration | string,
      `goldenPath.tools.timeouts.${key}`,
    );
  }
  return {
    toolsDir: tools?.getOptionalString('dir') ?? process.env.GOLDEN_PATH_TOOLS_DIR,
    binaries: {
      buf: tools?.getOptionalString('buf'),
      sqlc: tools?.getOptionalString('sqlc'),
      atlas: tools?.getOptionalString('atlas'),
      git: tools?.getOptionalString('git'),
      launcher: tools?.getOptionalString('launcher'),
    },
    allowedPlugins: tools?.getOptionalStringArray('allowedPlugins') ?? DEFAULT_PLUGINS,
    goproxy: tools?.getOptionalString('goproxy'),
    timeouts,
    defaultTimeoutMs: 5 * 60_000,
    atlasDevDatabase:
      config.getOptionalString('goldenPath.atlas.devDatabase') ??
      'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable',
    localRoots: config.getOptionalStringArray('goldenPath.publish.local.allowedRoots') ?? [],
  };
}
