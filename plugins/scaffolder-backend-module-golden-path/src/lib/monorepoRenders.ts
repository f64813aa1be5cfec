import { InputError } from '@backstage/errors';
import {
  confinedRoot,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { TemplateValuesError, validateMonorepoValues } from '../templateValues';
import { RECORDED_VALUES_FILE } from './recordedValues';
import { SkeletonRender } from './serviceRenders';
import { recordedSource, SourcedVersion } from './templateSource';
import { TemplateVersion } from './templateVersions';

const MAX_VALUES_BYTES = 1024 * 1024;
const BY_HAND = 'upgrade it by hand (docs/template-versions.md)';

/** What a Go monorepo recorded at its root: the values it was rendered with and the template version (with its git source, when read from one). */
export interface RecordedMonorepo {
  values: Record<string, unknown>;
  version: SourcedVersion;
}

/**
 * Reads and checks `<root>/.golden-path/values.json`, the record the Go
 * monorepo template renders (its values and templateVersion); every problem
 * is one line naming the file.
 */
export function readRecordedMonorepo(root: string): RecordedMonorepo {
  const where = RECORDED_VALUES_FILE;
  // Through the confinement primitive: a symlinked .golden-path or file is refused, not followed.
  const entry = confinedRoot(root, { name: 'the monorepo' }).entry(where, {
    label: where,
    symlinks: 'refuse',
  });
  if (!entry.stats)
    throw new InputError(
      `the monorepo has no ${where} at its root: it was made before the Go monorepo template recorded its values (or not by that template), so what it was made from is unknown; ${BY_HAND}`,
    );
  if (!entry.stats.isFile())
    throw new InputError(`${where} is not a regular file; ${BY_HAND}`);
  if (entry.stats.size > MAX_VALUES_BYTES)
    throw new InputError(`${where} is larger than 1 MiB; ${BY_HAND}`);
  let doc: any;
  try {
    doc = JSON.parse(
      readFileNoFollow(entry.path, where).content.toString('utf8'),
    );
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `${where} is not JSON (${
        (e as Error).message
      }); restore it from the monorepo's history`,
    );
  }
  if (doc?.template !== 'go-monorepo')
    throw new InputError(
      `${where} records the template ${JSON.stringify(
        String(doc?.template ?? '').slice(0, 60),
      )}, not go-monorepo: it is not a Go monorepo's record; ${BY_HAND}`,
    );
  const raw = doc.values;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError(
      `${where} records no values object; restore it from the monorepo's history`,
    );
  try {
    validateMonorepoValues(raw);
  } catch (e) {
    if (e instanceof TemplateValuesError)
      throw new InputError(`${where}: ${e.message}`);
    throw e;
  }
  const text = (key: string) => {
    const v = raw[key] ?? '';
    if (typeof v !== 'string' || v.length > 300 || /[\n\r]/.test(v))
      throw new InputError(
        `${where}: values.${key} must be a line of text; restore it from the monorepo's history`,
      );
    return v;
  };
  const values = {
    projectName: raw.projectName,
    pkgModule: raw.pkgModule,
    goVersion: raw.goVersion,
    stage: raw.stage,
    owner: text('owner'),
    system: text('system') || raw.projectName,
    existingSystem: text('existingSystem'),
    servicesLocation: raw.servicesLocation !== false,
    imageRepository: text('imageRepository'),
  };
  return { values, version: recordedVersion(doc.templateVersion, where) };
}

/**
 * The templateVersion of a record, checked; one line when it has none. Of a
 * git source only the commit is kept: the URL is never read.
 */
function recordedVersion(v: unknown, where: string): SourcedVersion {
  const t = v as (Partial<TemplateVersion> & { source?: unknown }) | undefined;
  if (t && typeof t === 'object' && typeof t.name === 'string' && !t.revision)
    throw new InputError(
      `${where} records ${t.name} ${
        t.version ?? ''
      } without a skeleton revision (the template was not read from a local directory), so the skeleton it was made from cannot be retrieved; ${BY_HAND}`,
    );
  if (
    !t ||
    typeof t !== 'object' ||
    ![t.name, t.version, t.revision].every(x => typeof x === 'string' && x)
  )
    throw new InputError(
      `${where} records no template version (templateVersion: name, version, revision): the monorepo was made before template versions were recorded, so the skeleton it was made from is unknown; ${BY_HAND}`,
    );
  const version = { name: t.name!, version: t.version!, revision: t.revision! };
  const source = recordedSource(t.source, where, "the monorepo's history");
  return source ? { ...version, source } : version;
}

/**
 * The fetch:template runs that make a Go monorepo, in its template's order:
 * `skeleton` with every value, `skeleton-async` with the module, Go version
 * and stage at the async stage. `dir` is where the skeleton directories are
 * (./go-monorepo, or a stored revision ./go-monorepo/.versions/<revision>);
 * a part `parts` lacks is left out.
 */
export function monorepoRenders(
  values: Record<string, unknown>,
  dir: string,
  parts: string[],
): SkeletonRender[] {
  const out: SkeletonRender[] = [];
  if (parts.includes('skeleton')) out.push({ url: `${dir}/skeleton`, values });
  if (parts.includes('skeleton-async') && values.stage === 'async')
    out.push({
      url: `${dir}/skeleton-async`,
      values: {
        pkgModule: values.pkgModule,
        goVersion: values.goVersion,
        stage: values.stage,
      },
    });
  return out;
}

/**
 * The paths a Go monorepo template owns, from its skeleton directories: each
 * top-level file and directory, but of services/ only its own files
 * (services/README.md), never a service. Sorted, without duplicates.
 */
export function monorepoScope(partDirs: string[]): string[] {
  const out = new Set<string>();
  for (const dir of partDirs) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.includes('${{')) continue;
      if (e.name === 'services' && e.isDirectory()) {
        for (const f of fs.readdirSync(path.join(dir, e.name), {
          withFileTypes: true,
        }))
          if (f.isFile() && !f.name.includes('${{'))
            out.add(`services/${f.name}`);
        continue;
      }
      out.add(e.name);
    }
  }
  return [...out].sort();
}
