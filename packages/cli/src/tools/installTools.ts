import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ToolsInstallError } from './ToolsInstallError';
import { findToolSources, moduleStamp, ToolSources } from './toolSources';

/** Options of {@link installTools}. */
export interface InstallToolsOptions {
  /** The tools directory; binaries go to `<dir>/bin` (what `goldenPath.tools.dir` names). */
  dir: string;
  /** Where the pinned sources are; default: found beside this package. */
  sources?: ToolSources;
  /** Receives one line per tool. */
  log?: (line: string) => void;
}

/** What {@link installTools} did for one tool. */
export interface InstalledTool {
  tool: string;
  version: string;
  state: 'installed' | 'up to date';
  path: string;
}

interface RunResult {
  ok: boolean;
  out: string;
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunResult {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15 * 60_000,
    maxBuffer: 16 << 20,
  });
  if (r.error) return { ok: false, out: r.error.message };
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter(l => l.trim());
  return lines[lines.length - 1] ?? 'no output';
}

/** Creates `<dir>/bin` and `<dir>/stamps`, refusing a file or an unwritable place in one line. */
function prepareDir(dir: string): void {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory())
    throw new ToolsInstallError(
      `--dir ${dir} is not a directory: pass a directory (it is created when missing)`,
    );
  for (const sub of ['bin', 'stamps']) {
    const target = path.join(dir, sub);
    try {
      fs.mkdirSync(target, { recursive: true });
      fs.accessSync(target, fs.constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ToolsInstallError(
        code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `cannot write ${target} (${code}): pass a --dir this user can write, or run as its owner`
          : `cannot create ${target}: ${(e as Error).message}`,
      );
    }
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(n => parseInt(n, 10) || 0);
  const pb = b.split('.').map(n => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function checkGo(minVersion: string): string {
  const r = run('go', ['env', 'GOVERSION']);
  if (!r.ok)
    throw new ToolsInstallError(
      `Go is missing (go env GOVERSION: ${lastLine(
        r.out,
      )}): install Go ${minVersion} or newer (https://go.dev/dl) and put it on PATH`,
    );
  const version = r.out.replace(/^go/, '');
  if (compareVersions(version, minVersion) < 0)
    throw new ToolsInstallError(
      `Go ${version} is too old: the pinned tools need Go ${minVersion} or newer (https://go.dev/dl)`,
    );
  return r.out;
}

/** The npm package holding the buf binary for this platform. */
export function bufPackage(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  const os_ = { linux: 'linux', darwin: 'darwin' }[platform as string];
  const cpu = { x64: 'x64', arm64: platform === 'linux' ? 'aarch64' : 'arm64' }[
    arch as string
  ];
  if (!os_ || !cpu)
    throw new ToolsInstallError(
      `buf has no npm build for ${platform}/${arch}: use a linux or darwin host on x64 or arm64`,
    );
  return `@bufbuild/buf-${os_}-${cpu}`;
}

/** Moves a freshly built or unpacked file into place atomically. */
function place(from: string, to: string): void {
  fs.chmodSync(from, 0o755);
  fs.renameSync(from, to);
}

function installBuf(dir: string, version: string, target: string): void {
  const spec = `${bufPackage()}@${version}`;
  const tmp = fs.mkdtempSync(path.join(dir, '.buf-'));
  try {
    const packed = run('npm', ['pack', '--silent', spec], { cwd: tmp });
    if (!packed.ok)
      throw new ToolsInstallError(
        `cannot download ${spec} from the npm registry (${lastLine(
          packed.out,
        )}): check the network or the npm config, then run again`,
      );
    const tgz = fs.readdirSync(tmp).find(f => f.endsWith('.tgz'));
    if (!tgz)
      throw new ToolsInstallError(
        `npm pack ${spec} wrote no tarball into ${tmp}`,
      );
    const unpacked = run('tar', ['xzf', tgz, 'package/bin/buf'], { cwd: tmp });
    if (!unpacked.ok)
      throw new ToolsInstallError(
        `cannot unpack ${spec} (${lastLine(unpacked.out)}): is tar installed?`,
      );
    place(path.join(tmp, 'package', 'bin', 'buf'), target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function goEnv(): NodeJS.ProcessEnv {
  // The sources may sit inside someone's go.work or under a vendor-only GOFLAGS.
  return { ...process.env, GOWORK: 'off', GOFLAGS: '-mod=readonly' };
}

function goBuild(
  moduleDir: string,
  pkg: string,
  dir: string,
  target: string,
): void {
  const tmp = path.join(dir, 'bin', `.${path.basename(target)}.${process.pid}`);
  const r = run('go', ['build', '-trimpath', '-o', tmp, pkg], {
    cwd: moduleDir,
    env: goEnv(),
  });
  if (!r.ok) {
    fs.rmSync(tmp, { force: true });
    throw new ToolsInstallError(
      `go build ${pkg} in ${moduleDir} failed (${lastLine(
        r.out,
      )}): is the Go module proxy reachable? (go env GOPROXY)`,
    );
  }
  place(tmp, target);
}

interface ToolSpec {
  tool: string;
  /** The version the binary must report, or undefined when a source stamp decides. */
  want?: string;
  /** Prints the version; returns undefined when the binary does not run. */
  version: (bin: string) => string | undefined;
  install: (target: string) => void;
  /** Module whose sources are stamped (atlas, launcher). */
  stampModule?: string;
}

function versionOf(bin: string, args: string[], pick: (out: string) => string) {
  if (!fs.existsSync(bin)) return undefined;
  const r = run(bin, args);
  return r.ok ? pick(r.out) : undefined;
}

function specs(s: ToolSources, dir: string): ToolSpec[] {
  const v = s.versions;
  const goTools = path.join(s.dir, 'go');
  const secondWord = (out: string) => out.split(/\s+/)[1] ?? out;
  return [
    {
      tool: 'buf',
      want: v.BUF_VERSION,
      version: bin => versionOf(bin, ['--version'], out => out),
      install: target => installBuf(dir, v.BUF_VERSION, target),
    },
    {
      tool: 'sqlc',
      want: v.SQLC_VERSION,
      version: bin => versionOf(bin, ['version'], out => out),
      install: target =>
        goBuild(goTools, 'github.com/sqlc-dev/sqlc/cmd/sqlc', dir, target),
    },
    {
      tool: 'protoc-gen-go',
      want: v.PROTOC_GEN_GO_VERSION,
      version: bin => versionOf(bin, ['--version'], secondWord),
      install: target =>
        goBuild(
          goTools,
          'google.golang.org/protobuf/cmd/protoc-gen-go',
          dir,
          target,
        ),
    },
    {
      tool: 'protoc-gen-go-grpc',
      want: v.PROTOC_GEN_GO_GRPC_VERSION.replace(/^v/, ''),
      version: bin => versionOf(bin, ['--version'], secondWord),
      install: target =>
        goBuild(
          goTools,
          'google.golang.org/grpc/cmd/protoc-gen-go-grpc',
          dir,
          target,
        ),
    },
    {
      tool: 'atlas',
      stampModule: path.join(s.dir, 'atlas'),
      version: bin =>
        versionOf(
          bin,
          ['version'],
          out => out.split('\n')[0].split(/\s+/)[2] ?? out,
        ),
      install: target => goBuild(path.join(s.dir, 'atlas'), '.', dir, target),
    },
    {
      tool: 'golden-path-launcher',
      stampModule: path.join(s.dir, 'launcher'),
      // It takes no version flag: with stdin closed it must exit 0 at once.
      version: bin => versionOf(bin, [], () => 'built from tools/launcher'),
      install: target =>
        goBuild(path.join(s.dir, 'launcher'), '.', dir, target),
    },
  ];
}

/**
 * Installs the pinned buf, sqlc, protoc-gen-go, protoc-gen-go-grpc, atlas and
 * golden-path-launcher into `<dir>/bin`. Idempotent: a tool whose binary
 * already reports the pinned version (or, for tools built from this package's
 * sources, whose source stamp matches) is only checked. Every binary is run
 * once at the end.
 */
export function installTools(options: InstallToolsOptions): InstalledTool[] {
  if (!options.dir?.trim())
    throw new ToolsInstallError('--dir is empty: pass the tools directory');
  const dir = path.resolve(options.dir.replace(/^~(?=$|\/)/, os.homedir()));
  const log = options.log ?? (() => {});
  const sources = options.sources ?? findToolSources();
  prepareDir(dir);
  let checkedGo: string | undefined;
  const goVersion = () =>
    (checkedGo ??= checkGo(sources.versions.GO_MIN_VERSION));
  const report: InstalledTool[] = [];
  for (const spec of specs(sources, dir)) {
    const target = path.join(dir, 'bin', spec.tool);
    const stampFile = path.join(dir, 'stamps', spec.tool);
    const current = spec.version(target);
    const stamp = () => moduleStamp(spec.stampModule!, goVersion());
    const upToDate =
      current !== undefined &&
      (spec.want
        ? current === spec.want
        : fs.existsSync(stampFile) &&
          fs.readFileSync(stampFile, 'utf8').trim() === stamp());
    if (!upToDate) {
      if (spec.tool !== 'buf') goVersion();
      spec.install(target);
      if (spec.stampModule) fs.writeFileSync(stampFile, `${stamp()}\n`);
    }
    const version = spec.version(target);
    if (version === undefined)
      throw new ToolsInstallError(
        `${target} does not run after installing it: check that ${dir} is not mounted noexec`,
      );
    if (spec.want && version !== spec.want)
      throw new ToolsInstallError(
        `${target} reports version ${version}, not the pinned ${
          spec.want
        }: the package's pins disagree (${path.join(
          sources.dir,
          'versions.env',
        )}); reinstall @golden-path/cli`,
      );
    const state = upToDate ? 'up to date' : 'installed';
    report.push({ tool: spec.tool, version, state, path: target });
    log(`${spec.tool.padEnd(20)} ${version.padEnd(26)} ${state}`);
  }
  return report;
}
