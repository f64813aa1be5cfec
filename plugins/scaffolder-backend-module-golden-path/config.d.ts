import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Golden Path for Go: scaffolder actions. */
  goldenPath?: {
    tools?: {
      /**
       * Project tools directory; binaries are looked up in `<dir>/bin` before PATH.
       * Defaults to the environment variable GOLDEN_PATH_TOOLS_DIR.
       */
      dir?: string;
      /** Path of the buf binary; when set, nothing else is tried. */
      buf?: string;
      /** Path of the sqlc binary; when set, nothing else is tried. */
      sqlc?: string;
      /** Path of the atlas binary; when set, nothing else is tried. */
      atlas?: string;
      /**
       * Path of golden-path-launcher (tools/launcher), the small process that starts the
       * tools so that the backend does not fork itself for each run (a fork blocks its event
       * loop for a time that grows with its memory; with the sandbox on, it forks once per
       * workspace to start the sandbox). Default: `<dir>/bin`, then PATH; when it is
       * found nowhere, tools are started with Node's own spawn. When set, it must exist.
       */
      launcher?: string;
      /** Path of git, used only for `git merge-file` by `golden-path:template:merge`; default: PATH. */
      git?: string;
      /**
       * Names of the protoc plugins a `buf.gen.yaml` may name (`local:`). Defaults to
       * protoc-gen-go and protoc-gen-go-grpc. Plugins are found by name in the tools
       * directory, never by a path from the workspace.
       */
      allowedPlugins?: string[];
      /**
       * Programs a `sqlc.yaml` `process` plugin may run: names in `<dir>/bin` or absolute
       * paths; the plugin's `cmd` is resolved as sqlc resolves it and must be one of these
       * (its `name` does not matter). None by default. Keep them in `<dir>/bin`: the tool
       * sandbox only shows the tools' own directories.
       */
      sqlcProcessPlugins?: string[];
      /** GOPROXY passed to tools that resolve Go modules; nothing else of the backend's environment is. */
      goproxy?: string;
      /**
       * Tool runs in flight in one backend process at most (buf, sqlc, atlas); a step beyond
       * it waits for a slot and says so in its task log. Default: the number of cores, at
       * least 2.
       */
      concurrency?: number;
      /** Per-action timeouts, keyed by action id (e.g. `buf:generate`); default 5 minutes. */
      timeouts?: { [actionId: string]: HumanDuration | string };
    };
    /**
     * The OS sandbox every tool run starts in (bubblewrap): new user, PID, IPC and network
     * namespaces with no network, only the step's workspace writable, the system's programs
     * and the tool's own directories read-only, nothing else of the host visible, and limits.
     */
    sandbox?: {
      /**
       * `required` (default): every tool runs in the sandbox, and when none can be created on
       * the host every tool step fails saying why. `off`: tools run unconfined, only for a
       * backend where every template and every checked-out repository is trusted.
       */
      mode?: 'required' | 'off';
      /** Path of bubblewrap; default: `bwrap` on PATH. */
      bwrap?: string;
      /** Path of util-linux `prlimit`, which applies the limits; default: PATH. */
      prlimit?: string;
      /**
       * Where each sandbox gets a cgroup of its own, which bounds the processes and memory of
       * the whole sandbox (rlimits bound each process only). A name (default `golden-path`):
       * a cgroup made beside the backend's own (cgroup v2, where a cgroup that holds processes
       * cannot give controllers to child cgroups; below it when it is the root) or below it
       * (cgroup v1); or the absolute path of a cgroup v2 directory that holds no process and is
       * offered the memory and pids controllers, e.g. one delegated to the backend's user; or
       * `off`. Needs golden-path-launcher. When no cgroup can be made there, only the
       * per-process limits apply, and start-up logs a warning saying why.
       */
      cgroup?: string;
      /** Limits of one tool run. */
      limits?: {
        /** CPU time in seconds; default 300. */
        cpuSeconds?: number;
        /**
         * Memory of the whole sandbox (its cgroup's memory.max, no swap) and address space of
         * each of its processes, in bytes; default 8 GiB.
         */
        memoryBytes?: number;
        /** Largest file a tool may write, in bytes; default 1 GiB. */
        fileSizeBytes?: number;
        /**
         * Processes and threads of the whole sandbox (its cgroup's pids.max); without a cgroup
         * (see `cgroup`), of the backend's user (RLIMIT_NPROC, which Linux does not apply to
         * root); default 4096.
         */
        processes?: number;
      };
    };
    atlas?: {
      /**
       * PostgreSQL URL of a role allowed to create and drop databases; used only to create
       * the throwaway dev database of `atlas:migrate:diff` and to drop it afterwards.
       * @visibility secret
       */
      devDatabase?: string;
    };
    publish?: {
      local?: {
        /**
         * Directories under which `golden-path:publish:local` may write and
         * `golden-path:local:checkout` may read. The first is the default root.
         */
        allowedRoots?: string[];
      };
    };
  };
}
