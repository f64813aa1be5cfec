import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveWorkspacePath, workspaceResolver } from './resolveWorkspacePath';

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
    expect(resolveWorkspacePath(ws, input)).toBe(path.join(fs.realpathSync(ws), expected));
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
    expect(() => resolveWorkspacePath(ws, input, { label: 'dir' })).toThrow(message);
  });

  it('resolves and refuses the same through a workspace resolver', () => {
    const resolve = workspaceResolver(ws);
    expect(resolve.root).toBe(fs.realpathSync(ws));
    expect(resolve('inner/proto', { label: 'dir' })).toBe(path.join(resolve.root, 'inner/proto'));
    expect(() => resolve('chain/file.txt', { label: 'dir' })).toThrow('dir "chain/file.txt" goes through a symlink (chain)');
    expect(() => resolve('a/../../x')).toThrow('points outside the task workspace');
    expect(() => resolve('/etc/passwd')).toThrow('is absolute');
    expect(() => resolve('dangling', { forWrite: true })).toThrow('goes through a dangling symlink');
  });

  it('resolves a path relative to a directory as the same path from the root', () => {
    const resolve = workspaceResolver(ws);
    const base = path.join(resolve.root, 'api/proto');
    expect(resolve.entryAt(base, '../../inner/proto').path).toBe(path.join(resolve.root, 'inner/proto'));
    expect(() => resolve.entryAt(base, '../../../x', { label: 'out' })).toThrow('out "../x" points outside the task workspace');
    expect(() => resolve.entryAt(base, '/etc', { label: 'out' })).toThrow('points outside the task workspace');
    expect(() => resolve.entryAt(base, 'a\\b', { label: 'out' })).toThrow('out "api/proto/a\\b" contains a backslash');
    expect(() => resolve.entryAt(base, '../../chain/x', { label: 'out' })).toThrow('leads outside the task workspace');
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
    expect(() => resolve('later/x')).toThrow('leads outside the task workspace');
  });

  it('refuses writing through a dangling symlink', () => {
    expect(() => resolveWorkspacePath(ws, 'dangling', { forWrite: true })).toThrow('goes through a dangling symlink');
  });
});
