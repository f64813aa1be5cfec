import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addJobs,
  detemplateMonorepoFile,
  detemplateServiceGoMod,
  detemplateServiceGoSum,
  isolatePkgRequire,
  mergeStages,
} from './goModTemplates';
import { renderLocally } from './renderLocal';
import { RenderError } from './renderTemplate';

const MONOREPO_FILES = [
  'pkg/go.mod',
  'pkg/go.sum',
  'gateway/go.mod',
  'gateway/go.sum',
];
const SERVICE_DIR = 'skeleton/services/${{ values.name }}-service';

function run(cmd: string, args: string[], cwd: string): void {
  try {
    execFileSync(cmd, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new RenderError(
      `${cmd} ${args.join(' ')} in ${cwd} failed: ${(
        err.stderr ||
        err.stdout ||
        err.message
      ).trim()}`,
    );
  }
}

function readJson(file: string): Record<string, any> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RenderError(
      `cannot read values ${file}: ${(e as Error).message}`,
    );
  }
}

/**
 * Regenerates the go.mod/go.sum templates of the Go monorepo template's pkg/
 * and gateway/ modules: renders the skeleton for values/mvp.json and
 * values/async.json, generates the proto code (it belongs to pkg), runs
 * `go mod tidy` in each module and merges the two results into one template
 * with stage conditions. Needs buf and go on PATH. Returns the files written.
 */
export function syncMonorepoGoMod(templateDir: string): string[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-sync-gomod-'));
  try {
    const results: Record<string, Record<string, string>> = {};
    for (const stageFile of ['mvp.json', 'async.json']) {
      const values = readJson(path.join(templateDir, 'values', stageFile));
      const out = path.join(tmp, path.basename(stageFile, '.json'));
      renderLocally({ templateDir, values, outDir: out });
      run('buf', ['generate'], path.join(out, 'api/proto'));
      for (const mod of ['pkg', 'gateway'])
        run('go', ['mod', 'tidy'], path.join(out, mod));
      const files: Record<string, string> = {};
      for (const file of MONOREPO_FILES) {
        files[file] = detemplateMonorepoFile(
          fs.readFileSync(path.join(out, file), 'utf8'),
          values.pkgModule,
          values.goVersion,
        );
      }
      files['gateway/go.mod'] = isolatePkgRequire(files['gateway/go.mod']);
      results[values.stage] = files;
    }
    if (!results.mvp || !results.async)
      throw new RenderError(
        `${templateDir}/values/mvp.json and async.json must have stage "mvp" and "async"`,
      );
    return MONOREPO_FILES.map(file => {
      const target = path.join(templateDir, 'skeleton', file);
      fs.writeFileSync(
        target,
        mergeStages(results.mvp[file], results.async[file], file),
      );
      return target;
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function readService(dir: string): { goMod: string; goSum: string } {
  for (const file of ['go.mod', 'go.sum']) {
    if (!fs.existsSync(path.join(dir, file)))
      throw new RenderError(
        `${dir} has no ${file}: give services/<name>-service of a rendered monorepo after go mod tidy`,
      );
  }
  const goModPath = path.join(dir, 'go.mod');
  const { text, pkgModule } = detemplateServiceGoMod(
    fs.readFileSync(goModPath, 'utf8'),
    goModPath,
  );
  return {
    goMod: text,
    goSum: detemplateServiceGoSum(
      fs.readFileSync(path.join(dir, 'go.sum'), 'utf8'),
      pkgModule,
    ),
  };
}

/** Tidy rendered services of the Go service template, one per combination the go.mod differs by. */
export interface ServiceRenders {
  /** A service rendered with stage mvp and no jobs. */
  mvp: string;
  /** The same service rendered with stage async and no jobs. */
  async?: string;
  /** The mvp service rendered with scheduled jobs. */
  jobs?: string;
}

/**
 * Writes the Go service template's go.mod/go.sum from tidy rendered services:
 * module paths back to template expressions, lines only the async stage or
 * only services with jobs need in conditions. Returns the files written.
 */
export function syncServiceGoMod(
  templateDir: string,
  renders: ServiceRenders,
): string[] {
  const base = readService(renders.mvp);
  let goMod = base.goMod;
  let goSum = base.goSum;
  if (renders.async) {
    const other = readService(renders.async);
    goMod = mergeStages(goMod, other.goMod, 'go.mod');
    goSum = mergeStages(goSum, other.goSum, 'go.sum');
  }
  if (renders.jobs) {
    const jobs = readService(renders.jobs);
    goMod = addJobs(goMod, base.goMod, jobs.goMod, 'go.mod');
    goSum = addJobs(goSum, base.goSum, jobs.goSum, 'go.sum');
  }
  const dir = path.join(templateDir, SERVICE_DIR);
  fs.writeFileSync(path.join(dir, 'go.mod'), goMod);
  fs.writeFileSync(path.join(dir, 'go.sum'), goSum);
  return [path.join(dir, 'go.mod'), path.join(dir, 'go.sum')];
}

/** Which go.mod layout a template has: a monorepo (pkg/, gateway/) or a service. */
export function goModLayout(templateDir: string): 'monorepo' | 'service' {
  if (fs.existsSync(path.join(templateDir, SERVICE_DIR, 'go.mod')))
    return 'service';
  if (fs.existsSync(path.join(templateDir, 'skeleton/pkg/go.mod')))
    return 'monorepo';
  throw new RenderError(
    `${templateDir} has neither skeleton/pkg/go.mod nor ${SERVICE_DIR}/go.mod: give the Go monorepo or the Go service template's directory`,
  );
}
