import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveWorkspacePath } from './resolveWorkspacePath';

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

  it('refuses writing through a dangling symlink', () => {
    expect(() => resolveWorkspacePath(ws, 'dangling', { forWrite: true })).toThrow('goes through a dangling symlink');
  });
});
