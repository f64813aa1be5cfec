import {
  locateBinary,
  MissingBinaryError,
  ToolSandbox,
} from '@golden-path/plugin-golden-path-node';
import { GoldenPathSettings } from './settings';
import { launcherBinary } from './toolLaunch';

/** The sandbox of each sandbox setting, or why there is none (probed once per backend). */
const probed = new Map<
  string,
  { sandbox?: ToolSandbox; unavailable?: string }
>();

/** A required sandbox that cannot be had: every tool step fails with this. */
export class SandboxUnavailableError extends Error {
  name = 'SandboxUnavailableError';
}

function build(settings: GoldenPathSettings): {
  sandbox?: ToolSandbox;
  unavailable?: string;
} {
  const { sandbox } = settings;
  let bwrap: string;
  let prlimit: string;
  try {
    bwrap = locateBinary('bwrap', {
      configuredPath: sandbox.bwrap,
      configKey: 'goldenPath.sandbox.bwrap',
    });
    prlimit = locateBinary('prlimit', {
      configuredPath: sandbox.prlimit,
      configKey: 'goldenPath.sandbox.prlimit',
    });
  } catch (e) {
    if (e instanceof MissingBinaryError) return { unavailable: e.message };
    throw e;
  }
  const candidate = new ToolSandbox({
    bwrap,
    prlimit,
    limits: sandbox.limits,
    cgroup: sandbox.cgroup,
    // The runs of one workspace then reuse a sandbox, cleared after each.
    launcher: launcherBinary(settings),
  });
  const unavailable = candidate.probe();
  return unavailable ? { unavailable } : { sandbox: candidate };
}

/**
 * The sandbox every tool runs in (goldenPath.sandbox.mode `required`), or
 * undefined when the mode is `off`. Throws SandboxUnavailableError, with
 * what to change, when the sandbox is required and cannot be created here.
 */
export function toolSandbox(
  settings: GoldenPathSettings,
): ToolSandbox | undefined {
  if (settings.sandbox.mode === 'off') return undefined;
  const key = JSON.stringify(settings.sandbox);
  let state = probed.get(key);
  if (!state) {
    state = build(settings);
    probed.set(key, state);
  }
  if (state.sandbox) return state.sandbox;
  throw new SandboxUnavailableError(
    `tools must run in a sandbox (goldenPath.sandbox.mode: required) and none can be created on this host: ${state.unavailable}. ` +
      'Install bubblewrap (Debian: apt-get install bubblewrap) and allow user namespaces ' +
      '(sysctl kernel.unprivileged_userns_clone=1; in a container, a seccomp profile that permits clone/unshare), then restart the backend; ' +
      'or, on a host where only trusted templates and repositories run, set goldenPath.sandbox.mode: off',
  );
}

/** One line for start-up: how tools are confined. */
export function describeSandbox(settings: GoldenPathSettings): {
  level: 'info' | 'warn';
  message: string;
} {
  if (settings.sandbox.mode === 'off') {
    return {
      level: 'warn',
      message:
        'Tools run WITHOUT a sandbox (goldenPath.sandbox.mode: off): a template or a checked-out repository can make them read and write anything the backend can',
    };
  }
  try {
    const s = toolSandbox(settings)!;
    const l = settings.sandbox.limits;
    const reuse = s.options.launcher
      ? 'one sandbox per workspace, cleared after each run by the sandboxed launcher, '
      : '';
    const memory = `${Math.round(l.memoryBytes / 2 ** 20)} MiB memory`;
    const base =
      `Tools run in a bubblewrap sandbox (${s.options.bwrap}): no network, only the step's workspace writable, ${reuse}` +
      `limits: ${l.cpuSeconds} s CPU, ${Math.round(
        l.fileSizeBytes / 2 ** 20,
      )} MiB per file, `;
    if (s.limitMode !== 'rlimits') {
      return {
        level: 'info',
        message: `${base}${memory} and ${l.processes} processes for the whole sandbox (limit mode ${s.limitMode}: a cgroup per sandbox)`,
      };
    }
    return {
      level: 'warn',
      message:
        `${base}${memory} per process and ${l.processes} processes per user (limit mode rlimits: ${s.limitModeReason}). ` +
        'One run can exceed them by starting many processes, and the process limit does not apply at all when the backend runs as root. ' +
        'For limits on the whole sandbox, run the backend where it can make cgroups: cgroup v2 with the memory and pids controllers, ' +
        'and a cgroup delegated to the backend (systemd: Delegate=yes with DelegateSubgroup=, or goldenPath.sandbox.cgroup set to a writable cgroup v2 directory without processes), ' +
        'and golden-path-launcher installed',
    };
  } catch (e) {
    return {
      level: 'warn',
      message: `${
        (e as Error).message
      }; every action that runs a tool will fail until it is fixed`,
    };
  }
}
