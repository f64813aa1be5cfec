import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import path from 'node:path';

/** `goldenPath.discovery`, read once at start-up. */
export interface DiscoverySettings {
  /** Absolute directories whose monorepos are discovered. */
  roots: string[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  maxFileBytes: number;
}

/** Every five minutes, at most three minutes a run, the first one 15 s after start-up. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 15 },
};

/**
 * The largest catalog-info.yaml, values.json or API definition read: 256 KiB,
 * many times a real one (the template's, its proto inlined, is a few KiB),
 * and at most about half a second of YAML parsing for a hostile one.
 */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;

/**
 * Reads `goldenPath.discovery`: the roots (default: the local publish roots,
 * `goldenPath.publish.local.allowedRoots`), the schedule and the file limit.
 * Bad values fail start-up with the key named.
 */
export function readDiscoverySettings(config: Config): DiscoverySettings {
  const c = config.getOptionalConfig('goldenPath.discovery');
  const roots =
    c?.getOptionalStringArray('roots') ??
    config.getOptionalStringArray('goldenPath.publish.local.allowedRoots') ??
    [];
  for (const root of roots) {
    if (!path.isAbsolute(root) || root.includes('\0')) {
      throw new Error(
        `goldenPath.discovery.roots: "${root}" is not an absolute directory path; give the full path of a directory holding monorepos`,
      );
    }
  }
  const maxFileBytes =
    c?.getOptionalNumber('maxFileBytes') ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) {
    throw new Error(
      `goldenPath.discovery.maxFileBytes: ${maxFileBytes} is not a positive whole number of bytes`,
    );
  }
  const schedule = c?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        c.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  return {
    roots: [...new Set(roots.map(r => path.resolve(r)))],
    schedule,
    maxFileBytes,
  };
}
