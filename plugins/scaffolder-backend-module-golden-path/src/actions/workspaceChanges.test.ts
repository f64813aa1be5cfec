import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  actionContext,
  makeSandbox,
  writeFiles,
} from '../__testUtils__/context';
import { createWorkspaceChangesAction } from './workspaceChanges';
import { examples } from './workspaceChanges.examples';

/** Called after each tree listing of a test that sets it (the tree is then changed under the action). */
let mockAfterListing: ((relTo: string, label: string) => void) | undefined;
jest.mock('../lib/fileTree', () => {
  const actual = jest.requireActual('../lib/fileTree');
  return {
    ...actual,
    listTreeFiles: (root: string, relTo: string, label: string) => {
      const listed = actual.listTreeFiles(root, relTo, label);
      mockAfterListing?.(relTo, label);
      return listed;
    },
  };
});

const action = createWorkspaceChangesAction();

function setup() {
  const s = makeSandbox();
  writeFiles(path.join(s.workspace, 'before'), {
    'services/a-service/same.go': 'same\n',
    'services/a-service/edit.go': 'v1\n',
    'services/a-service/gone.go': 'x\n',
    'api/proto/a/v1/a.proto': 'v1\n',
    'api/proto/b/v1/b.proto': 'b\n',
  });
  writeFiles(s.workspace, {
    'services/a-service/same.go': 'same\n',
    'services/a-service/edit.go': 'v2\n',
    'services/a-service/new.go': 'new\n',
    'api/proto/a/v1/a.proto': 'v1\n',
    'api/proto/b/v1/b.proto': 'b changed, but not asked for\n',
    'pkg/proto/a/v1/a.pb.go': 'generated\n',
  });
  return s;
}

describe('golden-path:workspace:changes', () => {
  it('lists added, changed and removed files within the paths and stages the first two', async () => {
    const s = setup();
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        before: 'before',
        paths: ['services/a-service', 'api/proto/a', 'pkg/proto/a/'],
        outputPath: 'changes',
      });
      await action.handler(ctx);
      expect(outputs).toEqual({
        added: ['pkg/proto/a/v1/a.pb.go', 'services/a-service/new.go'],
        changed: ['services/a-service/edit.go'],
        removed: ['services/a-service/gone.go'],
        files: [
          'pkg/proto/a/v1/a.pb.go',
          'services/a-service/edit.go',
          'services/a-service/new.go',
        ],
      });
      const staged: string[] = [];
      const walk = (d: string) =>
        fs
          .readdirSync(d, { withFileTypes: true })
          .forEach(e =>
            e.isDirectory()
              ? walk(path.join(d, e.name))
              : staged.push(
                  path.relative(
                    path.join(s.workspace, 'changes'),
                    path.join(d, e.name),
                  ),
                ),
          );
      walk(path.join(s.workspace, 'changes'));
      expect(staged.sort()).toEqual(outputs.files);
      expect(
        fs.readFileSync(
          path.join(s.workspace, 'changes/services/a-service/edit.go'),
          'utf8',
        ),
      ).toBe('v2\n');
    } finally {
      s.cleanup();
    }
  });

  it("takes a monorepo's dotfiles and missing paths: .github, .editorconfig", async () => {
    const s = setup();
    try {
      writeFiles(path.join(s.workspace, 'before'), {
        '.github/workflows/ci.yml': 'v1\n',
        '.editorconfig': 'root = true\n',
      });
      writeFiles(s.workspace, { '.github/workflows/ci.yml': 'v2\n' });
      const { ctx, outputs } = actionContext(s.workspace, {
        before: 'before',
        paths: ['.github', '.editorconfig', '.env.example'],
        outputPath: 'changes',
      });
      await action.handler(ctx);
      expect(outputs).toEqual({
        added: [],
        changed: ['.github/workflows/ci.yml'],
        removed: ['.editorconfig'],
        files: ['.github/workflows/ci.yml'],
      });
      expect(
        fs.readFileSync(
          path.join(s.workspace, 'changes/.github/workflows/ci.yml'),
          'utf8',
        ),
      ).toBe('v2\n');
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [
      'a path with ..',
      { paths: ['services/../..'] },
      /paths: "services\/..\/.." must be a relative path/,
    ],
    [
      'an absolute path',
      { paths: ['/etc'] },
      /paths: "\/etc" must be a relative path/,
    ],
    [
      'a .git directory',
      { paths: ['services/a-service/.git'] },
      /paths: "services\/a-service\/.git" must be a relative path/,
    ],
    [
      'before outside the workspace',
      { before: '../outside' },
      /before "..\/outside" points outside the task workspace/,
    ],
    [
      'an outputPath that is not empty',
      { outputPath: 'services' },
      /outputPath "services" must be a new or empty directory/,
    ],
    [
      'an outputPath inside before',
      { outputPath: 'before/x' },
      /outputPath "before\/x" must not be before, after or inside before/,
    ],
    [
      'an outputPath symlinked out',
      { outputPath: 'out' },
      /outputPath "out" goes through a symlink \(out\) that leads outside/,
    ],
  ])('refuses %s', async (_label, patch, message) => {
    const s = setup();
    try {
      fs.symlinkSync(s.outside, path.join(s.workspace, 'out'));
      const input = {
        before: 'before',
        paths: ['services/a-service'],
        outputPath: 'changes',
        ...patch,
      };
      await expect(
        action.handler(actionContext(s.workspace, input).ctx),
      ).rejects.toThrow(message);
      expect(fs.existsSync(path.join(s.workspace, 'changes'))).toBe(false);
      expect(s.outsideListing()).toEqual(['sentinel.txt']);
    } finally {
      s.cleanup();
    }
  });

  // The listing refuses symlinks; a file is then read again to compare it.
  // Here a listed file becomes a link to a host file between the two (as a
  // tool still writing the tree could do): before the fix the comparison
  // followed it, and whether the host file equals the checkout's came back
  // as "changed" or not.
  it.each([
    ['after', 'services/a-service/edit.go'],
    ['before', 'services/a-service/edit.go'],
  ])(
    'refuses a file of %s turned into a symlink out of the workspace after it was listed',
    async (side, rel) => {
      const s = setup();
      const secret = path.join(s.outside, 'sentinel.txt');
      mockAfterListing = (relTo, label) => {
        if (!label.startsWith(side)) return;
        const file = path.join(relTo, rel);
        fs.rmSync(file);
        fs.symlinkSync(secret, file);
      };
      try {
        const { ctx, outputs } = actionContext(s.workspace, {
          before: 'before',
          paths: ['services/a-service'],
        });
        await expect(action.handler(ctx)).rejects.toThrow(
          new RegExp(
            `^${side} file "${
              side === 'before' ? 'before/' : ''
            }services/a-service/edit\\.go" goes through a symlink \\(.*\\) that leads outside the task workspace$`,
          ),
        );
        expect(outputs).toEqual({});
      } finally {
        mockAfterListing = undefined;
        s.cleanup();
      }
    },
  );

  it.each(examples.map(e => [e.description, parse(e.example).steps[0].input]))(
    'runs the example: %s',
    async (_d, input) => {
      const s = makeSandbox();
      try {
        writeFiles(path.join(s.workspace, '.golden-path-update/before'), {
          'services/order-service/a.go': 'a\n',
        });
        writeFiles(s.workspace, {
          'services/order-service/a.go': 'b\n',
          'pkg/proto/order/v1/x.pb.go': 'x\n',
        });
        const { ctx, outputs } = actionContext(s.workspace, input);
        await action.handler(ctx);
        expect(outputs.files).toEqual([
          'pkg/proto/order/v1/x.pb.go',
          'services/order-service/a.go',
        ]);
      } finally {
        s.cleanup();
      }
    },
  );
});
