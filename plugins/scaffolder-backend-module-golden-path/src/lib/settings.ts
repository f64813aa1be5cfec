import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { SandboxLimits } from '@golden-path/plugin-golden-path-node';
import { defaultToolConcurrency } from './toolSlots';

/** The scaffolder module's configuration, read once at start-up. */
export interface GoldenPathSettings {
  toolsDir?: string;
  binaries: {
    buf?: string;
    sqlc?: string;
    atlas?: string;
    git?: string;
    launcher?: string;
  };
  allowedPlugins: string[];
  /** Programs a sqlc `process` plugin may run (names in `<tools.dir>/bin` or absolute paths). */
  sqlcProcessPlugins: string[];
  goproxy?: string;
  timeouts: Record<string, number>;
  defaultTimeoutMs: number;
  /** Tool runs in flight in this backend process at most; more wait for a slot. */
  toolConcurrency: number;
  atlasDevDatabase: string;
  localRoots: string[];
  sandbox: SandboxSettings;
}

/** `goldenPath.sandbox`: how tool runs are confined. */
export interface SandboxSettings {
  /** `required`: every tool runs in the sandbox, or fails; `off`: tools run unconfined. */
  mode: 'required' | 'off';
  bwrap?: string;
  prlimit?: string;
  /** Where each sandbox's cgroup is made (a name, an absolute cgroup v2 path, or `off`); default `golden-path`. */
  cgroup?: string;
  limits: SandboxLimits;
}

const GiB = 1024 * 1024 * 1024;
const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 300,
  memoryBytes: 8 * GiB,
  fileSizeBytes: 1 * GiB,
  processes: 4096,
};

function readConcurrency(value: number | undefined): number {
  if (value === undefined) return defaultToolConcurrency();
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `goldenPath.tools.concurrency: ${value} is not a whole number of at least 1`,
    );
  }
  return value;
}

function readSandbox(config: Config): SandboxSettings {
  const c = config.getOptionalConfig('goldenPath.sandbox');
  const mode = c?.getOptionalString('mode') ?? 'required';
  if (mode !== 'required' && mode !== 'off') {
    throw new Error(
      `goldenPath.sandbox.mode: "${mode}" is not one of required, off`,
    );
  }
  const limits = c?.getOptionalConfig('limits');
  const positive = (key: string, fallback: number) => {
    const v = limits?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(v) || v <= 0) {
      throw new Error(
        `goldenPath.sandbox.limits.${key}: ${v} is not a positive whole number`,
      );
    }
    return v;
  };
  return {
    mode,
    bwrap: c?.getOptionalString('bwrap'),
    prlimit: c?.getOptionalString('prlimit'),
    cgroup: c?.getOptionalString('cgroup'),
    limits: {
      cpuSeconds: positive('cpuSeconds', DEFAULT_LIMITS.cpuSeconds),
      memoryBytes: positive('memoryBytes', DEFAULT_LIMITS.memoryBytes),
      fileSizeBytes: positive('fileSizeBytes', DEFAULT_LIMITS.fileSizeBytes),
      processes: positive('processes', DEFAULT_LIMITS.processes),
    },
  };
}

const DEFAULT_PLUGINS = ['protoc-gen-go', 'protoc-gen-go-grpc'];

/** Reads `goldenPath.*` from config, with the local defaults. */
export function readSettings(config: Config): GoldenPathSettings {
  const tools = config.getOptionalConfig('goldenPath.tools');
  const timeouts: Record<string, number> = {};
  const timeoutConfig = tools?.getOptionalConfig('timeouts');
  for (const key of timeoutConfig?.keys() ?? []) {
    // HumanDuration objects, ISO 8601 ("PT90S") or ms-style ("90s", "5m") strings.
    timeouts[key] = durationToMilliseconds(
      readDurationFromConfig(timeoutConfig!, { key }),
    );
  }
  return {
    toolsDir:
      tools?.getOptionalString('dir') ?? process.env.GOLDEN_PATH_TOOLS_DIR,
    binaries: {
      buf: tools?.getOptionalString('buf'),
      sqlc: tools?.getOptionalString('sqlc'),
      atlas: tools?.getOptionalString('atlas'),
      git: tools?.getOptionalString('git'),
      launcher: tools?.getOptionalString('launcher'),
    },
    sqlcProcessPlugins:
      tools?.getOptionalStringArray('sqlcProcessPlugins') ?? [],
    allowedPlugins:
      tools?.getOptionalStringArray('allowedPlugins') ?? DEFAULT_PLUGINS,
    goproxy: tools?.getOptionalString('goproxy'),
    timeouts,
    defaultTimeoutMs: 5 * 60_000,
    toolConcurrency: readConcurrency(tools?.getOptionalNumber('concurrency')),
    atlasDevDatabase:
      config.getOptionalString('goldenPath.atlas.devDatabase') ??
      'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable',
    localRoots:
      config.getOptionalStringArray('goldenPath.publish.local.allowedRoots') ??
      [],
    sandbox: readSandbox(config),
  };
}
