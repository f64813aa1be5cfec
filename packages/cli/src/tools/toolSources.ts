import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ToolsInstallError } from './ToolsInstallError';

/** The pinned tool sources: `versions.env` and the Go modules beside it. */
export interface ToolSources {
  /** Directory holding versions.env, go/, atlas/ and launcher/. */
  dir: string;
  /** The pins of versions.env (BUF_VERSION, SQLC_VERSION, ...). */
  versions: Record<string, string>;
}

/** The root of this package: the nearest directory up whose package.json names it. */
function packageRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (
          JSON.parse(fs.readFileSync(manifest, 'utf8')).name ===
          '@golden-path/cli'
        )
          return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Reads `KEY=value` lines, skipping comments and blank lines. */
export function parseVersionsEnv(text: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (m) versions[m[1]] = m[2];
  }
  return versions;
}

/**
 * Finds the pinned sources: `toolchain/` inside the packed package (copied in
 * by scripts/pack-toolchain.mjs), else `tools/` of the repository the package
 * sits in.
 */
export function findToolSources(
  // packageRoot() walks up from here, so src/tools and dist both work
  // eslint-disable-next-line no-restricted-syntax
  from: string = __dirname,
): ToolSources {
  const root = packageRoot(from);
  const candidates = root
    ? [path.join(root, 'toolchain'), path.resolve(root, '../../tools')]
    : [];
  const dir = candidates.find(c => fs.existsSync(path.join(c, 'versions.env')));
  if (!dir)
    throw new ToolsInstallError(
      `the pinned tool sources are missing (looked in ${
        candidates.join(', ') || from
      }): reinstall @golden-path/cli`,
    );
  const versions = parseVersionsEnv(
    fs.readFileSync(path.join(dir, 'versions.env'), 'utf8'),
  );
  for (const key of [
    'BUF_VERSION',
    'GO_MIN_VERSION',
    'SQLC_VERSION',
    'PROTOC_GEN_GO_VERSION',
    'PROTOC_GEN_GO_GRPC_VERSION',
  ]) {
    if (!versions[key])
      throw new ToolsInstallError(
        `${path.join(
          dir,
          'versions.env',
        )} names no ${key}: reinstall @golden-path/cli`,
      );
  }
  return { dir, versions };
}

/** The files of a Go module that a build reads: go.mod, go.sum and non-test .go files. */
export function moduleFiles(moduleDir: string): string[] {
  return fs
    .readdirSync(moduleDir)
    .filter(
      f =>
        f === 'go.mod' ||
        f === 'go.sum' ||
        (f.endsWith('.go') && !f.endsWith('_test.go')),
    )
    .sort();
}

/** A digest of a module's build inputs and the Go version, for the up-to-date check. */
export function moduleStamp(moduleDir: string, goVersion: string): string {
  const hash = crypto.createHash('sha256');
  for (const f of moduleFiles(moduleDir)) {
    hash.update(`${f}\0`);
    hash.update(fs.readFileSync(path.join(moduleDir, f)));
  }
  hash.update(goVersion);
  return hash.digest('hex').slice(0, 16);
}
