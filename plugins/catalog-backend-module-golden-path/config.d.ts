import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Golden Path for Go. */
  goldenPath?: {
    /** Discovery of Go services in monorepos (the catalog module). */
    discovery?: {
      /**
       * Directories holding monorepos, as local publish creates them: every directory right under
       * a root with a `services/` directory is a monorepo, and each `services/<name>-service` in
       * it a service. Default: `goldenPath.publish.local.allowedRoots`. Absolute paths.
       */
      roots?: string[];
      /**
       * When the provider looks again. Default: every 5 minutes, at most 3 minutes a run, the
       * first run 15 seconds after start-up.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Largest catalog-info.yaml, values.json or API definition read, in bytes; default 256 KiB. */
      maxFileBytes?: number;
    };
  };
}
