import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { layFilesOver, removeFileUnder } from './layFiles';

/** A source tree, a clone to lay it over, and a directory beside both that must stay empty. */
function setup() {
  const root = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'gp-lay-')),
  );
  const [source, clone, outside] = ['source', 'clone', 'outside'].map(d => {
    fs.mkdirSync(path.join(root, d));
    return path.join(root, d);
  });
  fs.writeFileSync(path.join(outside, 'keep.txt'), 'outside\n');
  const write = (dir: string, rel: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  return { root, source, clone, outside, write };
}

describe('layFilesOver', () => {
  it('copies the files over the tree, replacing files and keeping modes', () => {
    const { root, source, clone, write } = setup();
    try {
      write(source, 'services/a/main.go', 'package main // new\n');
      write(source, 'run.sh', '#!/bin/sh\n');
      fs.chmodSync(path.join(source, 'run.sh'), 0o755);
      write(clone, 'services/a/main.go', 'package main // old\n');
      write(clone, 'README.md', '# repo\n');
      layFilesOver(
        source,
        ['run.sh', 'services/a/main.go'],
        clone,
        'the clone',
      );
      expect(
        fs.readFileSync(path.join(clone, 'services/a/main.go'), 'utf8'),
      ).toBe('package main // new\n');
      expect(fs.statSync(path.join(clone, 'run.sh')).mode & 0o777).toBe(0o755);
      expect(fs.readFileSync(path.join(clone, 'README.md'), 'utf8')).toBe(
        '# repo\n',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("refuses a directory of the tree that is a symlink leading out (a forge repository's committed symlink), writing nothing there", () => {
    const { root, source, clone, outside, write } = setup();
    try {
      write(source, 'deploy/evil.yaml', 'planted\n');
      fs.symlinkSync(outside, path.join(clone, 'deploy'));
      expect(() =>
        layFilesOver(source, ['deploy/evil.yaml'], clone, 'the clone'),
      ).toThrow(
        'the clone: directory "deploy" is a symlink; symlinks are not followed here: replace it with a regular file or directory',
      );
      expect(fs.readdirSync(outside)).toEqual(['keep.txt']);
      write(source, 'a/b/c/x.go', 'package c\n');
      fs.mkdirSync(path.join(clone, 'a'));
      fs.symlinkSync(outside, path.join(clone, 'a/b'));
      expect(() =>
        layFilesOver(source, ['a/b/c/x.go'], clone, 'the clone'),
      ).toThrow(
        'the clone: directory "a/b/c" goes through a symlink (a/b); symlinks are not followed here: replace it with a regular directory',
      );
      expect(fs.readdirSync(outside)).toEqual(['keep.txt']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('replaces a file the tree has as a symlink instead of writing through it', () => {
    const { root, source, clone, outside, write } = setup();
    try {
      write(source, 'README.md', '# new\n');
      fs.symlinkSync(
        path.join(outside, 'keep.txt'),
        path.join(clone, 'README.md'),
      );
      layFilesOver(source, ['README.md'], clone, 'the clone');
      expect(fs.lstatSync(path.join(clone, 'README.md')).isFile()).toBe(true);
      expect(fs.readFileSync(path.join(clone, 'README.md'), 'utf8')).toBe(
        '# new\n',
      );
      expect(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe(
        'outside\n',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('removes a file of the tree, but never through a directory that is a symlink leading out', () => {
    const { root, clone, outside, write } = setup();
    try {
      write(clone, 'services/a/old.go', 'package a\n');
      removeFileUnder(clone, 'services/a/old.go', 'the clone');
      expect(fs.existsSync(path.join(clone, 'services/a/old.go'))).toBe(false);
      expect(() =>
        removeFileUnder(clone, 'services/a/gone.go', 'the clone'),
      ).toThrow('services/a/gone.go is not a file of the clone');
      fs.symlinkSync(outside, path.join(clone, 'deploy'));
      expect(() =>
        removeFileUnder(clone, 'deploy/keep.txt', 'the clone'),
      ).toThrow(
        'the clone: directory "deploy" is a symlink; symlinks are not followed here: replace it with a regular file or directory',
      );
      expect(fs.readdirSync(outside)).toEqual(['keep.txt']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
