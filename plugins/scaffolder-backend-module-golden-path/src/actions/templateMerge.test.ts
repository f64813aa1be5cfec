import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  actionContext,
  makeSandbox,
  testSettings,
  writeFiles,
} from '../__testUtils__/context';
import { createTemplateMergeAction } from './templateMerge';
import { examples } from './templateMerge.examples';

const action = createTemplateMergeAction({ settings: testSettings() });

const HANDLER_BASE = `package grpc

type Handler struct {
	svc Service
}

func newHandler(svc Service) *Handler {
	return &Handler{svc: svc}
}

// Register adds the handler to a server.
func (h *Handler) Register() {}
`;
const HANDLER_NEXT = HANDLER_BASE.replace(
  '\tsvc Service\n',
  '\tsvc  Service\n\tjobs JobRunner\n',
).replace(
  'func newHandler(svc Service) *Handler {\n\treturn &Handler{svc: svc}',
  'func newHandler(svc Service, jobs JobRunner) *Handler {\n\treturn &Handler{svc: svc, jobs: jobs}',
);
/** The team's edit: a method at the end, far from what the update changes. */
const HANDLER_TEAM = `${HANDLER_BASE}
// Ping is the team's own RPC.
func (h *Handler) Ping() string { return "pong" }
`;

/** A workspace with base/, next/ and the service (svc/), each laid out like the monorepo. */
function sandbox(files: {
  base: Record<string, string>;
  next: Record<string, string>;
  svc: Record<string, string>;
}) {
  const s = makeSandbox();
  for (const [dir, tree] of Object.entries(files))
    writeFiles(path.join(s.workspace, dir), tree);
  return s;
}

const read = (root: string, f: string) =>
  fs.readFileSync(path.join(root, f), 'utf8');

/** Every file below a directory with its content, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink())
        out[path.relative(dir, p)] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('golden-path:template:merge', () => {
  it('adds, takes, merges three-way and leaves untouched, each where it must', async () => {
    const s = sandbox({
      base: {
        'svc/handler.go': HANDLER_BASE,
        'svc/fx/module.go': 'module v1\n',
        'svc/README.md': '# svc\n',
        'svc/values.json': '{"jobs":[]}\n',
      },
      next: {
        'svc/handler.go': HANDLER_NEXT,
        'svc/fx/module.go': 'module v1\n',
        'svc/README.md': '# svc\n',
        'svc/values.json': '{"jobs":["a"]}\n',
        'svc/usecase/auc/a.go': 'package auc\n',
      },
      svc: {
        'svc/handler.go': HANDLER_TEAM,
        'svc/fx/module.go': 'module v1 // the team edited this\n',
        'svc/README.md': '# svc\n',
        'svc/values.json': '{"jobs":[]}\n',
        'svc/team.go': 'package svc\n',
      },
    });
    try {
      fs.chmodSync(path.join(s.workspace, 'next/svc/usecase/auc/a.go'), 0o755);
      const { ctx, outputs } = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        targetPath: 'svc',
      });
      await action.handler(ctx);
      const svc = path.join(s.workspace, 'svc');
      expect(outputs).toEqual({
        added: ['svc/usecase/auc/a.go'],
        updated: ['svc/values.json'],
        merged: ['svc/handler.go'],
        files: ['svc/handler.go', 'svc/usecase/auc/a.go', 'svc/values.json'],
        unchanged: 2,
        deleted: [],
        conflicts: [],
      });
      // Merged: the update's struct and constructor, and the team's method.
      const handler = read(svc, 'svc/handler.go');
      expect(handler).toContain('jobs JobRunner');
      expect(handler).toContain('return &Handler{svc: svc, jobs: jobs}');
      expect(handler).toContain('func (h *Handler) Ping() string');
      expect(handler).not.toMatch(/<<<<<<<|>>>>>>>/);
      // Taken, added (with its mode), and untouched team edits and files.
      expect(read(svc, 'svc/values.json')).toBe('{"jobs":["a"]}\n');
      expect(
        fs.statSync(path.join(svc, 'svc/usecase/auc/a.go')).mode & 0o777,
      ).toBe(0o755);
      expect(read(svc, 'svc/fx/module.go')).toBe(
        'module v1 // the team edited this\n',
      );
      expect(read(svc, 'svc/team.go')).toBe('package svc\n');
    } finally {
      s.cleanup();
    }
  });

  it('writes the result beside a separate current tree, copying the service first', async () => {
    const s = sandbox({
      base: { 'svc/a.txt': 'a\n' },
      next: { 'svc/a.txt': 'a2\n', 'svc/b.txt': 'b\n' },
      svc: {
        'svc/a.txt': 'a\n',
        'svc/own.txt': 'own\n',
        'api/x.proto': 'syntax = "proto3";\n',
      },
    });
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        current: 'svc',
        targetPath: 'out',
      });
      await action.handler(ctx);
      expect(outputs.files).toEqual(['svc/a.txt', 'svc/b.txt']);
      expect(snapshot(path.join(s.workspace, 'out'))).toEqual({
        'svc/a.txt': 'a2\n',
        'svc/b.txt': 'b\n',
        'svc/own.txt': 'own\n',
        'api/x.proto': 'syntax = "proto3";\n',
      });
      expect(read(s.workspace, 'svc/svc/a.txt')).toBe('a\n');
    } finally {
      s.cleanup();
    }
  });

  it('refuses conflicts, listing every file, and writes nothing', async () => {
    const s = sandbox({
      base: {
        'svc/fx/jobs.go': 'var Jobs = fx.Options(\n)\n',
        'svc/gone.go': 'x\n',
        'svc/deleted.go': 'v1\n',
        'svc/ok.go': 'v1\n',
      },
      next: {
        'svc/fx/jobs.go': 'var Jobs = fx.Options(\n\tauc.Module(),\n)\n',
        'svc/deleted.go': 'v2\n',
        'svc/ok.go': 'v2\n',
        'svc/usecase/auc/a.go': 'package auc\n',
      },
      svc: {
        'svc/fx/jobs.go': 'var Jobs = fx.Options(\n\tteamuc.Module(),\n)\n',
        'svc/gone.go': 'x\n',
        'svc/ok.go': 'v1\n',
        'svc/usecase/auc/a.go': 'package auc // the team wrote its own\n',
      },
    });
    try {
      const before = snapshot(path.join(s.workspace, 'svc'));
      const { ctx } = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        targetPath: 'svc',
      });
      const err = await action.handler(ctx).then(
        () => undefined,
        e => e,
      );
      expect(err?.message).toMatch(
        /the update conflicts with the service in 4 file\(s\); nothing was written/,
      );
      expect(err.message).toContain(
        "- svc/fx/jobs.go: 1 conflicting change between the service's edits and the update",
      );
      expect(err.message).toContain(
        '- svc/usecase/auc/a.go: it already exists in the service with other content',
      );
      expect(err.message).toContain(
        '- svc/deleted.go: the service deleted this file, and the update changes it',
      );
      expect(err.message).toContain(
        '- svc/gone.go: the new render no longer has this file; removing files is not supported',
      );
      expect(err.message).not.toContain('ok.go');
      // The conflict hunk is in the log, and not one file changed.
      expect((ctx.logger.warn as jest.Mock).mock.calls.join('\n')).toMatch(
        /conflict in svc\/fx\/jobs\.go:[\s\S]*<<<<<<< svc\/fx\/jobs\.go \(the service\)[\s\S]*teamuc[\s\S]*auc/,
      );
      expect(snapshot(path.join(s.workspace, 'svc'))).toEqual(before);
    } finally {
      s.cleanup();
    }
  });

  it('merges only the checked-out paths: a render file elsewhere is neither a conflict nor written', async () => {
    const s = sandbox({
      base: {
        'svc/ok.go': 'v1\n',
        'deploy/dashboards/svc.json': '{"panels":1}\n',
      },
      next: {
        'svc/ok.go': 'v2\n',
        'deploy/dashboards/svc.json': '{"panels":2}\n',
      },
      svc: { 'svc/ok.go': 'v1\n' },
    });
    try {
      const { ctx } = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        targetPath: 'svc',
        paths: ['svc/'],
      });
      await action.handler(ctx);
      expect(read(path.join(s.workspace, 'svc'), 'svc/ok.go')).toBe('v2\n');
      expect(
        fs.existsSync(path.join(s.workspace, 'svc/deploy/dashboards/svc.json')),
      ).toBe(false);

      for (const bad of ['../svc', '/etc', '.', 'svc/../..', '']) {
        const { ctx: badCtx } = actionContext(s.workspace, {
          base: 'base',
          next: 'next',
          targetPath: 'svc',
          paths: [bad],
        });
        await expect(action.handler(badCtx)).rejects.toThrow(
          /^paths: ".*" is not a plain relative path inside the renders/,
        );
      }
    } finally {
      s.cleanup();
    }
  });

  it('counts a file the service already holds as the update wants it as unchanged', async () => {
    const s = sandbox({
      base: { 'svc/a.txt': 'a\n' },
      next: { 'svc/a.txt': 'a2\n', 'svc/b.txt': 'b\n' },
      svc: { 'svc/a.txt': 'a2\n', 'svc/b.txt': 'b\n' },
    });
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        targetPath: 'svc',
      });
      await action.handler(ctx);
      expect(outputs).toMatchObject({ files: [], unchanged: 2 });
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [
      'base outside the workspace',
      { base: '../outside', next: 'next' },
      /base "..\/outside" points outside the task workspace/,
    ],
    ['an absolute next', { base: 'base', next: '/etc' }, /next "\/etc"/],
    [
      'a missing base',
      { base: 'nope', next: 'next' },
      /base "nope" does not exist in the task workspace/,
    ],
    [
      'target inside a render',
      { base: 'base', next: 'next', targetPath: 'next/svc' },
      /would be written inside next, which the merge reads/,
    ],
    [
      'the same render twice',
      { base: 'next', next: 'next' },
      /base and next are the same directory/,
    ],
    [
      'a target symlinked out',
      { base: 'base', next: 'next', targetPath: 'out' },
      /targetPath "out" goes through a symlink \(out\) that leads outside the task workspace/,
    ],
    [
      'a symlink in a render',
      { base: 'base', next: 'linked' },
      /next: svc\/link is a symlink/,
    ],
  ])('refuses %s and writes nothing', async (_label, input, message) => {
    const s = sandbox({
      base: { 'svc/a.txt': 'a\n' },
      next: { 'svc/a.txt': 'b\n' },
      svc: { 'svc/a.txt': 'a\n' },
    });
    try {
      fs.symlinkSync(s.outside, path.join(s.workspace, 'out'));
      writeFiles(path.join(s.workspace, 'linked'), { 'svc/a.txt': 'b\n' });
      fs.symlinkSync(
        path.join(s.outside, 'sentinel.txt'),
        path.join(s.workspace, 'linked/svc/link'),
      );
      const before = snapshot(s.workspace);
      await expect(
        action.handler(actionContext(s.workspace, input).ctx),
      ).rejects.toThrow(message);
      expect(snapshot(s.workspace)).toEqual(before);
      expect(s.outsideListing()).toEqual(['sentinel.txt']);
      expect(
        fs.readFileSync(path.join(s.outside, 'sentinel.txt'), 'utf8'),
      ).toBe('untouched');
    } finally {
      s.cleanup();
    }
  });

  it('refuses a directory of the service that is a symlink leading out of the workspace', async () => {
    const s = sandbox({
      base: { 'svc/d/a.txt': 'a\n' },
      next: { 'svc/d/a.txt': 'b\n' },
      svc: {},
    });
    try {
      fs.mkdirSync(path.join(s.workspace, 'svc/svc'), { recursive: true });
      fs.symlinkSync(s.outside, path.join(s.workspace, 'svc/svc/d'));
      fs.writeFileSync(path.join(s.outside, 'a.txt'), 'a\n');
      await expect(
        action.handler(
          actionContext(s.workspace, {
            base: 'base',
            next: 'next',
            targetPath: 'svc',
          }).ctx,
        ),
      ).rejects.toThrow(
        /^current file "svc\/d\/a.txt" goes through a symlink \(svc\/d\); symlinks are not followed here/,
      );
      expect(fs.readFileSync(path.join(s.outside, 'a.txt'), 'utf8')).toBe(
        'a\n',
      );
    } finally {
      s.cleanup();
    }
  });

  // Issue 14, hole 7: a linked secret used to show in the conflict preview.
  it.each([
    [
      'a file of the service linked to a secret outside the workspace',
      (s: { outside: string }) => path.join(s.outside, 'secret.txt'),
      /^current file "svc\/a.txt" is a symlink; symlinks are not followed here: replace it with a regular file or directory$/,
    ],
    [
      'a file of the service linked to another file of the workspace',
      () => '../../base/svc/a.txt',
      /^current file "svc\/a.txt" is a symlink/,
    ],
    [
      'a dangling link in the service',
      () => 'missing.txt',
      /^current file "svc\/a.txt" is a symlink/,
    ],
  ])(
    'refuses %s, with one line and nothing of its target in the log',
    async (_label, linkTo, message) => {
      const s = sandbox({
        base: { 'svc/a.txt': 'one\ntwo\n' },
        next: { 'svc/a.txt': 'one\nTWO\n' },
        svc: {},
      });
      try {
        fs.writeFileSync(
          path.join(s.outside, 'secret.txt'),
          'one\nTOP SECRET\n',
        );
        fs.mkdirSync(path.join(s.workspace, 'svc/svc'), { recursive: true });
        fs.symlinkSync(linkTo(s), path.join(s.workspace, 'svc/svc/a.txt'));
        const before = snapshot(s.workspace);
        const { ctx } = actionContext(s.workspace, {
          base: 'base',
          next: 'next',
          targetPath: 'svc',
        });
        await expect(action.handler(ctx)).rejects.toThrow(message);
        expect(
          JSON.stringify((ctx.logger.warn as jest.Mock).mock.calls),
        ).not.toContain('TOP SECRET');
        expect(
          JSON.stringify((ctx.logger.info as jest.Mock).mock.calls),
        ).not.toContain('TOP SECRET');
        expect(snapshot(s.workspace)).toEqual(before);
      } finally {
        s.cleanup();
      }
    },
  );

  it('refuses a service file that is a symlink when current is read apart from the target', async () => {
    const s = sandbox({
      base: { 'svc/a.txt': 'a\n' },
      next: { 'svc/a.txt': 'b\n' },
      svc: {},
    });
    try {
      fs.writeFileSync(path.join(s.outside, 'secret.txt'), 'a\n');
      fs.mkdirSync(path.join(s.workspace, 'cur/svc'), { recursive: true });
      fs.symlinkSync(
        path.join(s.outside, 'secret.txt'),
        path.join(s.workspace, 'cur/svc/a.txt'),
      );
      await expect(
        action.handler(
          actionContext(s.workspace, {
            base: 'base',
            next: 'next',
            current: 'cur',
            targetPath: 'out',
          }).ctx,
        ),
      ).rejects.toThrow(/^current file "svc\/a.txt" is a symlink/);
      expect(fs.existsSync(path.join(s.workspace, 'out'))).toBe(false);
    } finally {
      s.cleanup();
    }
  });

  it.each(examples.map(e => [e.description, parse(e.example).steps[0].input]))(
    'runs the example: %s',
    async (_d, input) => {
      const s = sandbox({
        '.golden-path-update/base': { 'services/order-service/a.txt': 'a\n' },
        '.golden-path-update/next': { 'services/order-service/a.txt': 'b\n' },
        '.golden-path-update/before': { 'services/order-service/a.txt': 'a\n' },
      } as any);
      try {
        writeFiles(s.workspace, { 'services/order-service/a.txt': 'a\n' });
        const { ctx, outputs } = actionContext(s.workspace, input);
        await action.handler(ctx);
        expect(outputs.updated).toEqual(['services/order-service/a.txt']);
        expect(read(s.workspace, 'services/order-service/a.txt')).toBe('b\n');
      } finally {
        s.cleanup();
      }
    },
  );

  it('deletes what the template removed and the service kept as rendered (deleteRemoved), and conflicts where the service edited it', async () => {
    const s = sandbox({
      base: {
        'svc/doc.go': 'package service\n',
        'svc/edited.go': 'package service // v1\n',
        'svc/already.go': 'package x\n',
        'svc/keep.go': 'package keep\n',
      },
      next: {
        'svc/keep.go': 'package keep\n',
        'svc/policy.go': 'package service\n',
      },
      svc: {
        'svc/doc.go': 'package service\n',
        'svc/edited.go': 'package service // the team\n',
        'svc/keep.go': 'package keep\n',
      },
    });
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        targetPath: 'svc',
        deleteRemoved: true,
      });
      const err = await action.handler(ctx).then(
        () => undefined,
        e => e,
      );
      expect(err?.message).toBe(
        'the update conflicts with the service in 1 file(s); nothing was written:\n- svc/edited.go: the template removed this file, and the service edited it; it is kept',
      );
      expect(fs.existsSync(path.join(s.workspace, 'svc/svc/doc.go'))).toBe(
        true,
      );
      expect(fs.existsSync(path.join(s.workspace, 'svc/svc/policy.go'))).toBe(
        false,
      );

      // Without the edit: doc.go deleted, policy.go added, already.go (gone) nothing.
      fs.writeFileSync(
        path.join(s.workspace, 'svc/svc/edited.go'),
        'package service // v1\n',
      );
      const second = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        targetPath: 'svc',
        deleteRemoved: true,
      });
      await action.handler(second.ctx);
      expect(second.outputs).toMatchObject({
        added: ['svc/policy.go'],
        deleted: ['svc/doc.go', 'svc/edited.go'],
        conflicts: [],
        unchanged: 2,
      });
      expect(fs.existsSync(path.join(s.workspace, 'svc/svc/doc.go'))).toBe(
        false,
      );
      expect(fs.existsSync(path.join(s.workspace, 'svc/svc/edited.go'))).toBe(
        false,
      );
      expect(read(s.workspace, 'svc/svc/keep.go')).toBe('package keep\n');
      expect(outputs).toEqual({});
    } finally {
      s.cleanup();
    }
  });

  it('writes conflict markers and lists the files when onConflict is markers', async () => {
    const s = sandbox({
      base: { 'svc/README.md': '# order-service\n\nText.\n' },
      next: { 'svc/README.md': '# order-service (Golden Path)\n\nText.\n' },
      svc: { 'svc/README.md': '# Orders (team)\n\nText.\n' },
    });
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        base: 'base',
        next: 'next',
        current: 'svc',
        targetPath: 'out',
        onConflict: 'markers',
      });
      await action.handler(ctx);
      expect(outputs).toMatchObject({
        conflicts: ['svc/README.md'],
        files: [],
      });
      expect(read(s.workspace, 'out/svc/README.md')).toBe(
        '<<<<<<< svc/README.md (the service)\n# Orders (team)\n=======\n# order-service (Golden Path)\n>>>>>>> svc/README.md (template, after)\n\nText.\n',
      );
    } finally {
      s.cleanup();
    }
  });
});
