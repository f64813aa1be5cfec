import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The API version of the templates this package ships. */
const TEMPLATE_API_VERSION = 'scaffolder.backstage.io/v1beta3';

/** Larger template files are refused (the largest shipped is about 40 KiB). */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

/**
 * The packed templates spell a leading "." of a file or directory name as
 * this (yarn pack and npm pack leave out .gitignore and .github wherever
 * they are; scripts/bundle-templates.mjs encodes them).
 */
const DOT = '__dot__';

/** Marks a restored copy as complete. */
const COMPLETE = '.golden-path-templates-complete';

/** A template read from the bundled directory. */
export interface BundledTemplate {
  /** The template file, absolute. */
  file: string;
  /** The Template entity, annotated with its file location. */
  entity: Entity;
}

/** What one read of the templates directory found. */
export interface BundledTemplates {
  templates: BundledTemplate[];
  /** Files left out, each one line naming the file, what is wrong and how to fix it. */
  problems: string[];
}

/**
 * The templates directory of this package: `templates/` beside `dist/` in
 * the packed package (copied in at prepack, its dotfile names restored into
 * a directory under `cacheRoot`), or, in the Golden Path for Go repository
 * itself, the repository's own `templates/` (the one source the copy is
 * made from).
 */
export function bundledTemplatesDir(
  packageDir: string,
  cacheRoot: string = os.tmpdir(),
): string {
  const packed = path.join(packageDir, 'templates');
  if (fs.existsSync(packed)) return restoredTemplatesDir(packed, cacheRoot);
  const repository = path.resolve(packageDir, '..', '..', 'templates');
  if (fs.existsSync(path.join(repository, 'go-service', 'template.yaml'))) {
    return repository;
  }
  throw new Error(
    `Golden Path templates are missing: neither ${packed} nor ${repository} exists; reinstall @golden-path/plugin-catalog-backend-module-golden-path-templates (its tarball holds templates/)`,
  );
}

/** Every file under `dir`, as sorted relative paths with "/" separators. */
function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/**
 * The packed templates with their names restored (`__dot__x` back to `.x`):
 * a copy under `cacheRoot` named by a hash of the packed content, made once
 * (atomically, so replicas on one machine share it) and reused while the
 * package is the same. Packed templates with no encoded name are used where
 * they are.
 */
export function restoredTemplatesDir(
  packed: string,
  cacheRoot: string,
): string {
  const files = filesUnder(packed);
  const encoded = (rel: string) =>
    rel.split('/').some(part => part.startsWith(DOT));
  if (!files.some(encoded)) return packed;
  const hash = createHash('sha256');
  for (const rel of files) {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(packed, rel)));
  }
  const target = path.join(
    cacheRoot,
    `golden-path-templates-${hash.digest('hex').slice(0, 16)}`,
  );
  if (fs.existsSync(path.join(target, COMPLETE))) return target;
  const building = `${target}.${process.pid}.tmp`;
  fs.rmSync(building, { recursive: true, force: true });
  for (const rel of files) {
    const restored = rel
      .split('/')
      .map(part => (part.startsWith(DOT) ? `.${part.slice(DOT.length)}` : part))
      .join('/');
    const to = path.join(building, restored);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(packed, rel), to);
  }
  fs.writeFileSync(path.join(building, COMPLETE), '');
  try {
    fs.renameSync(building, target);
  } catch (e) {
    // another process restored the same content first
    fs.rmSync(building, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, COMPLETE))) throw e;
  }
  return target;
}

/**
 * The template files of `dir`: every `*.yaml` right in it and every
 * `<name>/template.yaml`, sorted; a new template file in either place is
 * picked up with no list to update.
 */
export function templateFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && /\.ya?ml$/.test(entry.name)) files.push(full);
    if (entry.isDirectory()) {
      const inner = path.join(full, 'template.yaml');
      if (fs.existsSync(inner)) files.push(inner);
    }
  }
  return files.sort();
}

/**
 * Reads every template file of `dir` as Template entities whose location is
 * their file (`file:<absolute path>`), so the scaffolder resolves a
 * template's `./skeleton` and `../go-service/...` URLs beside it. A file
 * that does not parse, is too large, or holds anything but a v1beta3
 * Template is left out with one problem line; the others are still read.
 */
export function readBundledTemplates(dir: string): BundledTemplates {
  const templates: BundledTemplate[] = [];
  const problems: string[] = [];
  for (const file of templateFiles(dir)) {
    const problem = (what: string) =>
      problems.push(`Golden Path template ${file} ${what}; it is left out`);
    const size = fs.statSync(file).size;
    if (size > MAX_TEMPLATE_BYTES) {
      problem(
        `is ${size} bytes, more than the ${MAX_TEMPLATE_BYTES} a template may have`,
      );
      continue;
    }
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    const read: Entity[] = [];
    let bad: string | undefined;
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length) {
        const [err] = doc.errors;
        const at = err.linePos?.[0];
        bad = `is not valid YAML${
          at ? ` at line ${at.line}, column ${at.col}` : ''
        }: ${err.message.split('\n')[0]}`;
        break;
      }
      const value = doc.toJS();
      if (value === null || value === undefined) continue;
      if (
        typeof value !== 'object' ||
        value.apiVersion !== TEMPLATE_API_VERSION ||
        value.kind !== 'Template' ||
        typeof value.metadata?.name !== 'string'
      ) {
        bad = `holds a document that is not a Template (apiVersion ${TEMPLATE_API_VERSION}, kind Template, metadata.name); keep only templates in the templates directory`;
        break;
      }
      read.push(value as Entity);
    }
    if (bad) {
      problem(bad);
      continue;
    }
    const location = `file:${file}`;
    for (const entity of read) {
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      };
      templates.push({ file, entity });
    }
  }
  return { templates, problems };
}
