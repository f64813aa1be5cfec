import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  confinedRoot,
  copyConfinedFile,
  readFileNoFollow,
  realPathUnderRoots,
  resolveWorkspacePath,
  workspaceResolver,
  writeConfinedFile,
} from './confinePath';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-ws-'));
const ws = path.join(root, 'ws');
beforeAll(() => {
  fs.mkdirSync(path.join(ws, 'api/proto'), { recursive: true });
  fs.mkdirSync(path.join(root, 'outside'));
  fs.symlinkSync(path.join(root, 'outside'), path.join(ws, 'escape'));
  fs.symlinkSync('escape', path.join(ws, 'chain'));
  fs.symlinkSync(path.join(ws, 'api'), path.join(ws, 'inner'));
  fs.symlinkSync(path.join(root, 'missing'), path.join(ws, 'dangling'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('resolveWorkspacePath', () => {
  it.each([
    ['.', ''],
    ['api/proto', 'api/proto'],
    ['api/./proto/', 'api/proto'],
    ['api/../api/proto', 'api/proto'],
    ['inner/proto', 'inner/proto'],
    ['new/dir', 'new/dir'],
  ])('accepts %s', (input, expected) => {
    expect(resolveWorkspacePath(ws, input)).toBe(
      path.join(fs.realpathSync(ws), expected),
    );
  });

  it.each([
    ['../x', 'points outside the task workspace'],
    ['a/../../x', 'points outside the task workspace'],
    ['/etc/passwd', 'is absolute'],
    ['C:/Windows', 'names a drive'],
    ['c:x', 'names a drive'],
    ['a\\..\\..\\x', 'contains a backslash'],
    ['api\0/x', 'contains a NUL byte'],
    ['escape', 'leads outside the task workspace'],
    ['escape/file.txt', 'leads outside the task workspace'],
    ['chain/file.txt', 'leads outside the task workspace'],
    ['dangling', 'is a dangling symlink'],
    ['dangling/x', 'goes through a dangling symlink'],
  ])('refuses %j', (input, message) => {
    expect(() => resolveWorkspacePath(ws, input, { label: 'dir' })).toThrow(
      message,
    );
  });

  it('resolves and refuses the same through a workspace resolver', () => {
    const resolve = workspaceResolver(ws);
    expect(resolve.root).toBe(fs.realpathSync(ws));
    expect(resolve('inner/proto', { label: 'dir' })).toBe(
      path.join(resolve.root, 'inner/proto'),
    );
    expect(() => resolve('chain/file.txt', { label: 'dir' })).toThrow(
      'dir "chain/file.txt" goes through a symlink (chain)',
    );
    expect(() => resolve('a/../../x')).toThrow(
      'points outside the task workspace',
    );
    expect(() => resolve('/etc/passwd')).toThrow('is absolute');
    expect(() => resolve('dangling', { forWrite: true })).toThrow(
      'goes through a dangling symlink',
    );
  });

  it('resolves a path relative to a directory as the same path from the root', () => {
    const resolve = workspaceResolver(ws);
    const base = path.join(resolve.root, 'api/proto');
    expect(resolve.entryAt(base, '../../inner/proto').path).toBe(
      path.join(resolve.root, 'inner/proto'),
    );
    expect(() => resolve.entryAt(base, '../../../x', { label: 'out' })).toThrow(
      'out "../x" points outside the task workspace',
    );
    expect(() => resolve.entryAt(base, '/etc', { label: 'out' })).toThrow(
      'points outside the task workspace',
    );
    expect(() => resolve.entryAt(base, 'a\\b', { label: 'out' })).toThrow(
      'out "api/proto/a\\b" contains a backslash',
    );
    expect(() =>
      resolve.entryAt(base, '../../chain/x', { label: 'out' }),
    ).toThrow('leads outside the task workspace');
  });

  it('tells what is at the path, following an inner symlink', () => {
    const resolve = workspaceResolver(ws);
    expect(resolve.entry('api').stats?.isDirectory()).toBe(true);
    expect(resolve.entry('inner').stats?.isDirectory()).toBe(true);
    expect(resolve.entry('.').stats?.isDirectory()).toBe(true);
    expect(resolve.entry('api/missing/deeper').stats).toBeUndefined();
  });

  it('judges a symlink made after the resolver was created', () => {
    const resolve = workspaceResolver(ws);
    fs.symlinkSync(path.join(root, 'outside'), path.join(ws, 'later'));
    expect(() => resolve('later/x')).toThrow(
      'leads outside the task workspace',
    );
  });

  it('refuses writing through a dangling symlink', () => {
    expect(() =>
      resolveWorkspacePath(ws, 'dangling', { forWrite: true }),
    ).toThrow('goes through a dangling symlink');
  });
});

describe('confinedRoot', () => {
  let base: string;
  let tree: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-confine-'));
    tree = path.join(base, 'tree');
    fs.mkdirSync(path.join(tree, 'dir/sub'), { recursive: true });
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(base, 'outside/secret.txt'), 'secret');
    fs.writeFileSync(path.join(tree, 'dir/file.txt'), 'inside');
    fs.symlinkSync(path.join(tree, 'dir'), path.join(tree, 'alias')); // stays inside
    fs.symlinkSync(
      path.join(tree, 'dir/file.txt'),
      path.join(tree, 'file-link'),
    ); // stays inside
    fs.symlinkSync(path.join(base, 'outside'), path.join(tree, 'escape'));
    fs.symlinkSync(
      path.join(base, 'outside/missing.txt'),
      path.join(tree, 'dangling-out'),
    );
    fs.symlinkSync('dir/missing.txt', path.join(tree, 'dangling-in'));
    fs.symlinkSync('loop-b', path.join(tree, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(tree, 'loop-b'));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const listing = (dir: string) => fs.readdirSync(dir).sort();

  it('names the root in its messages', () => {
    const publish = confinedRoot(tree, { name: 'the local publish root' });
    expect(() => publish('../x', { label: 'path' })).toThrow(
      'path "../x" points outside the local publish root',
    );
    expect(() => publish('escape/x', { label: 'path' })).toThrow(
      'path "escape/x" goes through a symlink (escape) that leads outside the local publish root',
    );
    expect(() => publish('/etc', { label: 'path' })).toThrow(
      'is absolute; give a path relative to the local publish root',
    );
  });

  it.each([
    ['.. escape', '../outside/secret.txt', 'points outside the task workspace'],
    [
      '.. escape after a name',
      'dir/../../outside',
      'points outside the task workspace',
    ],
    ['absolute path', '/etc/passwd', 'is absolute'],
    ['NUL byte', 'dir/file.txt\0.png', 'contains a NUL byte'],
    ['backslash', 'dir\\..\\..\\outside', 'contains a backslash'],
    ['drive letter', 'C:\\x', 'contains a backslash'],
    [
      'symlink leaving the root',
      'escape/secret.txt',
      'goes through a symlink (escape) that leads outside',
    ],
    ['dangling symlink (outside)', 'dangling-out', 'is a dangling symlink'],
    ['symlink loop', 'loop-a/x', 'goes through a dangling symlink (loop-a)'],
  ])('refuses a %s when reading', (_class, input, message) => {
    expect(() => workspaceResolver(tree)(input, { label: 'p' })).toThrow(
      message,
    );
  });

  it.each([
    ['dangling symlink leading out', 'dangling-out'],
    ['dangling symlink staying inside', 'dangling-in'],
  ])('refuses writing through a %s', (_class, input) => {
    expect(() =>
      workspaceResolver(tree)(input, { label: 'p', forWrite: true }),
    ).toThrow('goes through a dangling symlink');
  });

  it('follows symlinks that stay inside, and gives the real path', () => {
    const t = workspaceResolver(tree);
    const e = t.entry('alias/file.txt');
    expect(e.path).toBe(path.join(t.root, 'alias/file.txt'));
    expect(e.realPath).toBe(path.join(t.root, 'dir/file.txt'));
    expect(e.stats?.isFile()).toBe(true);
    expect(t.entry('alias/new/deeper').realPath).toBe(
      path.join(t.root, 'dir/new/deeper'),
    );
  });

  it.each([
    [
      'a symlinked directory on the way',
      'alias/file.txt',
      'goes through a symlink (alias); symlinks are not followed here',
    ],
    [
      'a symlinked file',
      'file-link',
      'is a symlink; symlinks are not followed here',
    ],
    [
      'a symlink leaving the root',
      'escape/secret.txt',
      'goes through a symlink (escape); symlinks are not followed here',
    ],
    ['a dangling symlink', 'dangling-in', 'is a symlink'],
  ])(
    'refuses %s in "refuse" mode, even one that stays inside',
    (_class, input, message) => {
      const t = workspaceResolver(tree);
      expect(() => t.entry(input, { label: 'p', symlinks: 'refuse' })).toThrow(
        message,
      );
      expect(
        t.entry('dir/sub', { symlinks: 'refuse' }).stats?.isDirectory(),
      ).toBe(true);
    },
  );

  it('takes percent signs literally: decoding is the job of whoever builds URLs', () => {
    const t = workspaceResolver(tree);
    expect(t('%2e%2e/%2e%2e/outside')).toBe(
      path.join(t.root, '%2e%2e/%2e%2e/outside'),
    );
  });

  it('tells whether an absolute path is under the root without touching the disk', () => {
    const t = workspaceResolver(tree);
    expect(t.contains(t.root)).toBe(true);
    expect(t.contains(path.join(t.root, 'x/y'))).toBe(true);
    expect(t.contains(`${t.root}-sibling/x`)).toBe(false);
    expect(t.contains(path.dirname(t.root))).toBe(false);
  });

  describe('writeConfinedFile', () => {
    it('creates the directories and writes the file with its mode', () => {
      const t = workspaceResolver(tree);
      writeConfinedFile(t, path.join(t.root, 'new/dir/run.sh'), 'echo\n', {
        label: 'run.sh',
        mode: 0o755,
      });
      expect(fs.readFileSync(path.join(tree, 'new/dir/run.sh'), 'utf8')).toBe(
        'echo\n',
      );
      expect(fs.statSync(path.join(tree, 'new/dir/run.sh')).mode & 0o777).toBe(
        0o755,
      );
    });

    it.each([
      ['a dangling symlink at the destination', 'dangling-out', 'is a symlink'],
      ['a dangling symlink staying inside', 'dangling-in', 'is a symlink'],
      ['a symlink to a file inside', 'file-link', 'is a symlink'],
      [
        'a symlinked directory inside',
        'alias/file.txt',
        'goes through a symlink (alias)',
      ],
      [
        'a symlinked directory leading out',
        'escape/secret.txt',
        'goes through a symlink (escape)',
      ],
    ])('refuses %s and writes nothing', (_class, rel, message) => {
      const t = workspaceResolver(tree);
      expect(() =>
        writeConfinedFile(t, path.join(t.root, rel), 'pwned', { label: rel }),
      ).toThrow(message);
      expect(listing(path.join(base, 'outside'))).toEqual(['secret.txt']);
      expect(
        fs.readFileSync(path.join(base, 'outside/secret.txt'), 'utf8'),
      ).toBe('secret');
      expect(fs.readFileSync(path.join(tree, 'dir/file.txt'), 'utf8')).toBe(
        'inside',
      );
    });

    it('refuses a destination outside the root', () => {
      const t = workspaceResolver(tree);
      expect(() =>
        writeConfinedFile(t, path.join(base, 'outside/x'), 'x', {
          label: 'x',
        }),
      ).toThrow('points outside the task workspace');
      expect(listing(path.join(base, 'outside'))).toEqual(['secret.txt']);
    });

    it('copies a file with its mode, and refuses a symlink as the source', () => {
      const t = workspaceResolver(tree);
      fs.chmodSync(path.join(tree, 'dir/file.txt'), 0o640);
      copyConfinedFile(
        t,
        path.join(tree, 'dir/file.txt'),
        path.join(t.root, 'copy/file.txt'),
        'file.txt',
      );
      expect(fs.readFileSync(path.join(tree, 'copy/file.txt'), 'utf8')).toBe(
        'inside',
      );
      expect(fs.statSync(path.join(tree, 'copy/file.txt')).mode & 0o777).toBe(
        0o640,
      );
      expect(() =>
        copyConfinedFile(
          t,
          path.join(tree, 'file-link'),
          path.join(t.root, 'copy/2'),
          'file-link',
        ),
      ).toThrow('file-link is a symlink');
    });
  });

  it('reads a file without following a symlink at its end', () => {
    expect(
      readFileNoFollow(path.join(tree, 'dir/file.txt'), 'f').content.toString(),
    ).toBe('inside');
    expect(() =>
      readFileNoFollow(path.join(tree, 'file-link'), 'file-link'),
    ).toThrow('file-link is a symlink');
    expect(() => readFileNoFollow(path.join(tree, 'dir'), 'dir')).toThrow(
      'dir is not a regular file',
    );
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = path.join(tree, 'dir/fifo.go');
    execFileSync('mkfifo', [fifo]);
    try {
      // in a child: a blocking open would hang this test's thread for good
      const r = spawnSync(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
          '-e',
          `try { require(${JSON.stringify(
            require.resolve('./confinePath'),
          )}).readFileNoFollow(${JSON.stringify(
            fifo,
          )}, 'fifo.go'); } catch (e) { console.log(e.message); }`,
        ],
        { encoding: 'utf8', timeout: 20_000 },
      );
      expect(r.signal).toBeNull();
      expect(r.stdout.trim()).toBe('fifo.go is not a regular file');
    } finally {
      fs.rmSync(fifo);
    }
  });

  it('reads at most maxBytes and one byte when asked to', () => {
    const file = path.join(tree, 'dir/file.txt');
    expect(
      readFileNoFollow(file, 'f', { maxBytes: 6 }).content.toString(),
    ).toBe('inside');
    expect(() => readFileNoFollow(file, 'f', { maxBytes: 5 })).toThrow(
      'f is larger than 5 bytes',
    );
  });

  describe('realPathUnderRoots', () => {
    it('gives the real path of a directory under one of the roots', async () => {
      const other = path.join(base, 'other');
      fs.mkdirSync(other);
      const real = fs.realpathSync(tree);
      await expect(
        realPathUnderRoots(path.join(tree, 'dir'), [other, tree]),
      ).resolves.toBe(path.join(real, 'dir'));
      await expect(
        realPathUnderRoots(path.join(tree, 'alias/'), [tree]),
      ).resolves.toBe(path.join(real, 'dir'));
      await expect(realPathUnderRoots(tree, [tree])).resolves.toBe(real);
    });

    it.each([
      ['a missing path', (t: string) => path.join(t, 'nowhere')],
      ['a path outside the roots', (t: string) => path.join(t, '../outside')],
      ['a .. escape', (t: string) => `${t}/dir/../../outside`],
      ['a symlink leading out', (t: string) => path.join(t, 'escape')],
      ['a dangling symlink', (t: string) => path.join(t, 'dangling-in')],
      ['a relative path', () => 'tree/dir'],
      ['a NUL byte', (t: string) => `${t}/dir\0`],
      ['a sibling sharing the prefix', (t: string) => `${t}-sibling`],
    ])('answers the same (undefined) for %s', async (_class, target) => {
      fs.mkdirSync(`${tree}-sibling`);
      await expect(
        realPathUnderRoots(target(tree), [
          tree,
          path.join(base, 'missing-root'),
        ]),
      ).resolves.toBeUndefined();
    });
  });
});
