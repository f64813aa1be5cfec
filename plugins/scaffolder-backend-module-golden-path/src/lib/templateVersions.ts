import { InputError } from '@backstage/errors';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { listTreeFiles } from './fileTree';

/**
 * The versions of a template (docs/template-versions.md): a service records
 * the template's name, its human version (the template file's
 * `golden-path.dev/template-version` annotation) and the revision of its
 * skeletons, a content hash of every `skeleton*` directory. A local template
 * keeps a copy of the skeletons of every revision it rendered in
 * `<template dir>/.versions/<revision>/`, so that an upgrade can render a
 * service again as it was made; fetch:template only reads below the
 * directory of the template file, which is why the store sits there.
 */
export interface TemplateVersion {
  /** metadata.name of the template file. */
  name: string;
  /** The golden-path.dev/template-version annotation ("0" when missing). */
  version: string;
  /** sha256-<hex> of the skeleton directories. */
  revision: string;
}

/** A version as log lines and refusals name it: name, version and the revision's start. */
export const shortVersion = (t: TemplateVersion) =>
  `${t.name} ${t.version} (${t.revision.slice(0, 19)})`;

export const VERSION_ANNOTATION = 'golden-path.dev/template-version';
/** The store of the skeleton snapshots, in the template's directory. */
export const VERSIONS_DIR = '.versions';
const PART = /^skeleton(-[a-z0-9]+)*$/;
const REVISION = /^sha256-[0-9a-f]{64}$/;

/** The skeleton directories of a template directory, sorted. */
export function skeletonParts(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isDirectory() && PART.test(e.name))
    .map(e => e.name)
    .sort();
}

/**
 * The revision of the skeletons in `dir`: sha256 over each file's path,
 * executable bit and content, in path order. The same skeletons have the
 * same revision wherever they are (a store snapshot hashes like its source).
 */
export function skeletonRevision(dir: string): string {
  const hash = crypto.createHash('sha256');
  for (const part of skeletonParts(dir)) {
    for (const file of listTreeFiles(
      path.join(dir, part),
      dir,
      `skeleton ${part}`,
    )) {
      const abs = path.join(dir, ...file.split('/'));
      const content = fs.readFileSync(abs);
      const exec = fs.statSync(abs).mode & 0o100 ? 'x' : '-';
      hash.update(`${file}\0${exec}\0${content.length}\0`);
      hash.update(content);
    }
  }
  return `sha256-${hash.digest('hex')}`;
}

/** The directory of a template file given as a file: URL (ctx.templateInfo.baseUrl). */
export function templateDirOf(baseUrl: string | undefined): string {
  if (!baseUrl?.startsWith('file:')) {
    throw new InputError(
      `the template is not read from a local directory (${
        baseUrl ?? 'no location'
      }): skeleton versions are stored for local templates only; see docs/template-versions.md`,
    );
  }
  return path.dirname(fileURLToPath(baseUrl));
}

/** Name and human version of the template whose template.yaml is in `dir`. */
export function readTemplateMetadata(
  file: string,
): Omit<TemplateVersion, 'revision'> {
  let doc: any;
  try {
    doc = parseDocument(fs.readFileSync(file, 'utf8')).toJS();
  } catch (e) {
    throw new InputError(
      `${path.basename(file)} cannot be read: ${(e as Error).message}`,
    );
  }
  const name = doc?.metadata?.name;
  if (typeof name !== 'string' || !name)
    throw new InputError(`${path.basename(file)} has no metadata.name`);
  const version = doc?.metadata?.annotations?.[VERSION_ANNOTATION];
  return { name, version: version === undefined ? '0' : String(version) };
}

/** The current version of the template in `dir` (its template.yaml and skeletons). */
export function currentTemplateVersion(dir: string): TemplateVersion {
  return {
    ...readTemplateMetadata(path.join(dir, 'template.yaml')),
    revision: skeletonRevision(dir),
  };
}

/** `<dir>/.versions/<revision>`, checked to be a revision. */
export function snapshotDir(dir: string, revision: string): string {
  if (!REVISION.test(revision))
    throw new InputError(
      `"${String(revision).slice(
        0,
        80,
      )}" is not a skeleton revision (sha256-<64 hex digits>)`,
    );
  return path.join(dir, VERSIONS_DIR, revision);
}

/**
 * Copies the skeletons of `dir` into the store under `revision`, unless that
 * snapshot is there already (content-addressed: it then holds the same
 * files). Written into a temporary directory renamed into place, so a
 * snapshot is there whole or not at all. Returns whether it was written.
 */
export function storeSnapshot(dir: string, revision: string): boolean {
  const target = snapshotDir(dir, revision);
  if (fs.existsSync(target)) return false;
  const store = path.join(dir, VERSIONS_DIR);
  fs.mkdirSync(store, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(store, '.tmp-'));
  try {
    for (const part of skeletonParts(dir)) {
      for (const file of listTreeFiles(
        path.join(dir, part),
        dir,
        `skeleton ${part}`,
      )) {
        const to = path.join(tmp, ...file.split('/'));
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(path.join(dir, ...file.split('/')), to);
        fs.chmodSync(to, fs.statSync(path.join(dir, ...file.split('/'))).mode);
      }
    }
    const written = skeletonRevision(tmp);
    if (written !== revision)
      throw new Error(
        `the skeletons of ${dir} changed while they were stored (${written}, not ${revision})`,
      );
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      // Another task stored the same revision first.
      if (fs.existsSync(target)) return false;
      throw e;
    }
    return true;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The skeleton parts of a stored revision, or undefined when the store does
 * not have it, or has something else under its name.
 */
export function storedParts(
  dir: string,
  revision: string,
): string[] | undefined {
  const target = snapshotDir(dir, revision);
  if (!fs.statSync(target, { throwIfNoEntry: false })?.isDirectory())
    return undefined;
  if (skeletonRevision(target) !== revision) return undefined;
  return skeletonParts(target);
}
