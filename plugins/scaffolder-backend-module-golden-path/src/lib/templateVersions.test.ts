import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeSandbox, writeFiles } from '../__testUtils__/context';
import {
  currentTemplateVersion,
  skeletonParts,
  skeletonRevision,
  snapshotDir,
  storedParts,
  storeSnapshot,
  templateDirOf,
} from './templateVersions';

const TEMPLATE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: go-service
  annotations:
    golden-path.dev/template-version: '1.2.0'
spec: {}
`;

function template() {
  const s = makeSandbox();
  const dir = path.join(s.workspace, 'go-service');
  writeFiles(dir, {
    'template.yaml': TEMPLATE,
    'skeleton/services/${{ values.name }}-service/main.go': 'package main\n',
    'skeleton/services/${{ values.name }}-service/.golden-path/values.json':
      '{}\n',
    'skeleton-async/services/x/outbox.go': 'package outbox\n',
    'docs/index.md': '# docs\n',
  });
  return dir;
}

describe('template versions', () => {
  it('names the template, its version and a revision of the skeletons only', () => {
    const dir = template();
    const v = currentTemplateVersion(dir);
    expect(v).toEqual({
      name: 'go-service',
      version: '1.2.0',
      revision: expect.stringMatching(/^sha256-[0-9a-f]{64}$/),
    });
    expect(skeletonParts(dir)).toEqual(['skeleton', 'skeleton-async']);
    // Docs and template.yaml are not part of the revision; skeleton content and modes are.
    fs.writeFileSync(path.join(dir, 'docs/index.md'), '# changed\n');
    expect(skeletonRevision(dir)).toBe(v.revision);
    const main = path.join(
      dir,
      'skeleton/services/${{ values.name }}-service/main.go',
    );
    fs.chmodSync(main, 0o755);
    const executable = skeletonRevision(dir);
    expect(executable).not.toBe(v.revision);
    fs.appendFileSync(main, '// more\n');
    expect(skeletonRevision(dir)).not.toBe(executable);
  });

  it('stores a revision once, whole, and finds it again by its content', () => {
    const dir = template();
    const { revision } = currentTemplateVersion(dir);
    expect(storeSnapshot(dir, revision)).toBe(true);
    expect(storeSnapshot(dir, revision)).toBe(false);
    const stored = snapshotDir(dir, revision);
    expect(skeletonRevision(stored)).toBe(revision);
    expect(storedParts(dir, revision)).toEqual(['skeleton', 'skeleton-async']);
    // The skeletons change: the old revision is still there, unchanged.
    fs.rmSync(path.join(dir, 'skeleton-async'), { recursive: true });
    const next = skeletonRevision(dir);
    expect(storeSnapshot(dir, next)).toBe(true);
    expect(storedParts(dir, revision)).toEqual(['skeleton', 'skeleton-async']);
    expect(storedParts(dir, next)).toEqual(['skeleton']);
    expect(fs.readdirSync(path.join(dir, '.versions')).sort()).toEqual(
      [revision, next].sort(),
    );
  });

  it('refuses a missing or altered snapshot and a name that is no revision', () => {
    const dir = template();
    const { revision } = currentTemplateVersion(dir);
    expect(storedParts(dir, revision)).toBeUndefined();
    storeSnapshot(dir, revision);
    fs.appendFileSync(
      path.join(
        snapshotDir(dir, revision),
        'skeleton-async/services/x/outbox.go',
      ),
      '// edited in the store\n',
    );
    expect(storedParts(dir, revision)).toBeUndefined();
    expect(() => storedParts(dir, '../../etc')).toThrow(
      '"../../etc" is not a skeleton revision (sha256-<64 hex digits>)',
    );
  });

  it('finds the template directory of a file: URL, and refuses other locations', () => {
    const dir = template();
    expect(
      templateDirOf(pathToFileURL(path.join(dir, 'template.yaml')).href),
    ).toBe(dir);
    expect(() =>
      templateDirOf(
        'https://github.com/acme/templates/blob/main/go-service/template.yaml',
      ),
    ).toThrow(
      'the template is not read from a local directory (https://github.com/acme/templates/blob/main/go-service/template.yaml): skeleton versions are stored for local templates only; see docs/template-versions.md',
    );
  });
});
