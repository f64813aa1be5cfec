import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { actionContext, testSettings } from '../__testUtils__/context';
import { useSandboxes } from '../__testUtils__/sandboxes';
import {
  BROKEN_PROTO,
  GOOD_PROTO,
  LINT_BAD_PROTO,
  protoWorkspace,
} from '../__testUtils__/fixtures';
import { createBufBreakingAction } from './bufBreaking';
import { createBufBuildAction } from './bufBuild';
import { createBufFormatAction } from './bufFormat';
import { createBufGenerateAction } from './bufGenerate';
import { createBufLintAction } from './bufLint';

const deps = { settings: testSettings() };
const sandbox = useSandboxes();

describe('buf actions with the real buf', () => {
  it('buf:lint passes a clean module', async () => {
    const s = sandbox(protoWorkspace(GOOD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
    });
    await createBufLintAction(deps).handler(ctx);
    expect(outputs).toEqual({ ok: true, violations: [] });
  });

  it('buf:lint reports violations with file, line and rule', async () => {
    const s = sandbox(protoWorkspace(LINT_BAD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
    });
    await expect(createBufLintAction(deps).handler(ctx)).rejects.toThrow(
      /buf lint reported \d+ violation/,
    );
    expect(outputs.ok).toBe(false);
    expect(outputs.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'order/v1/order_service.proto',
          line: 9,
          rule: 'SERVICE_SUFFIX',
        }),
        expect.objectContaining({ rule: 'ENUM_ZERO_VALUE_SUFFIX', line: 6 }),
      ]),
    );
  });

  it('buf:lint with failOnViolations false lets the template branch', async () => {
    const s = sandbox(protoWorkspace(LINT_BAD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
      failOnViolations: false,
    });
    await createBufLintAction(deps).handler(ctx);
    expect(outputs.ok).toBe(false);
    expect(outputs.violations.length).toBeGreaterThan(1);
  });

  it('buf:build reports a compile error at its line', async () => {
    const s = sandbox(protoWorkspace(BROKEN_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
    });
    await expect(createBufBuildAction(deps).handler(ctx)).rejects.toThrow(
      /buf build reported/,
    );
    expect(outputs.violations[0]).toMatchObject({
      path: 'order/v1/order_service.proto',
      line: 5,
      rule: 'COMPILE',
    });
  });

  it('buf:generate runs the allow-listed local plugins and lists the files', async () => {
    const s = sandbox(protoWorkspace(GOOD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
    });
    await createBufGenerateAction(deps).handler(ctx);
    expect(outputs.generatedFiles).toEqual([
      'gen/order/v1/order_service.pb.go',
      'gen/order/v1/order_service_grpc.pb.go',
    ]);
    expect(
      fs.readFileSync(
        path.join(s.workspace, outputs.generatedFiles[0]),
        'utf8',
      ),
    ).toContain('package orderv1');
  });

  it('buf:format check fails on an unformatted file and write fixes it', async () => {
    const s = sandbox(
      protoWorkspace(GOOD_PROTO.replace('string id = 1;', 'string    id=1;')),
    );
    const check = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
      mode: 'check',
    });
    await expect(
      createBufFormatAction(deps).handler(check.ctx),
    ).rejects.toThrow(
      /^buf format: 1 proto in api\/proto\/order\/v1 not formatted \(order_service\.proto\): run buf format -w in api\/proto/,
    );
    expect(check.outputs.ok).toBe(false);
    const write = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
      mode: 'write',
    });
    await createBufFormatAction(deps).handler(write.ctx);
    expect(write.outputs.files).toEqual([
      'api/proto/order/v1/order_service.proto',
    ]);
    const again = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
      mode: 'check',
    });
    await createBufFormatAction(deps).handler(again.ctx);
    expect(again.outputs.ok).toBe(true);
  });

  it('buf:breaking finds a removed field against the previous directory', async () => {
    const s = sandbox({
      ...protoWorkspace(GOOD_PROTO.replace('  string status = 2;\n', '')),
      'previous/buf.yaml': 'version: v2\nbreaking:\n  use: [WIRE_JSON]\n',
      'previous/order/v1/order_service.proto': GOOD_PROTO,
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
      againstDirectory: 'previous',
      failOnViolations: false,
    });
    await createBufBreakingAction(deps).handler(ctx);
    expect(outputs.ok).toBe(false);
    expect(outputs.violations[0].rule).toBe(
      'FIELD_NO_DELETE_UNLESS_NAME_RESERVED',
    );
  });

  /** A git repository of the workspace: `previous` committed on main, the working tree as given. */
  const git = (cwd: string, ...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args],
      { cwd, stdio: 'pipe' },
    );

  it('buf:breaking finds a removed field against a git ref of the workspace', async () => {
    const s = sandbox(protoWorkspace(GOOD_PROTO));
    git(s.workspace, 'init', '-q', '-b', 'main');
    git(s.workspace, 'add', '.');
    git(s.workspace, 'commit', '-qm', 'previous');
    const file = path.join(
      s.workspace,
      'api/proto/order/v1/order_service.proto',
    );
    fs.writeFileSync(file, GOOD_PROTO.replace('  string status = 2;\n', ''));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
      againstGitRef: 'main',
      failOnViolations: false,
    });
    await createBufBreakingAction(deps).handler(ctx);
    expect(outputs.violations.map((v: any) => v.rule)).toContain(
      'FIELD_NO_DELETE_UNLESS_NAME_RESERVED',
    );
    expect(ctx.logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /--against \/\S+\/\.git#format=git,ref=main,subdir=api\/proto in /,
      ),
    );
  });

  it.each([
    ['no .git', {}],
    [
      'a .git file pointing elsewhere',
      { '.git': 'gitdir: ../outside/repo.git\n' },
    ],
  ])(
    'buf:breaking against a git ref refuses a workspace with %s',
    async (_name, files) => {
      const s = sandbox({ ...protoWorkspace(GOOD_PROTO), ...files });
      const { ctx } = actionContext(s.workspace, {
        workingDirectory: 'api/proto',
        againstGitRef: 'main',
      });
      await expect(createBufBreakingAction(deps).handler(ctx)).rejects.toThrow(
        /^againstGitRef needs the workspace to be a git repository: its \.git is missing or not a directory/,
      );
    },
  );

  it('buf:breaking reads a previous directory whose name holds a space and a comma', async () => {
    const s = sandbox({
      ...protoWorkspace(GOOD_PROTO.replace('  string status = 2;\n', '')),
      'prev ious,v1/buf.yaml': 'version: v2\nbreaking:\n  use: [WIRE_JSON]\n',
      'prev ious,v1/order/v1/order_service.proto': GOOD_PROTO,
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
      againstDirectory: 'prev ious,v1',
      failOnViolations: false,
    });
    await createBufBreakingAction(deps).handler(ctx);
    expect(outputs.violations.map((v: any) => v.rule)).toContain(
      'FIELD_NO_DELETE_UNLESS_NAME_RESERVED',
    );
  });

  // With the sandbox off too: the fix holds without it (in the sandbox, git has no network).
  describe.each([
    ['in the sandbox', deps.settings],
    [
      'without the sandbox',
      testSettings({ sandbox: { ...deps.settings.sandbox, mode: 'off' } }),
    ],
  ])('buf input options cannot come from a path, %s', (_name, settings) => {
    let server: http.Server;
    let requests: string[];
    let port: number;
    beforeAll(async () => {
      requests = [];
      server = http.createServer((req, res) => {
        requests.push(String(req.url));
        res.statusCode = 404;
        res.end();
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise(resolve => server.close(resolve)));
    beforeEach(() => {
      requests.length = 0;
    });

    /** A workspace repository whose .gitmodules names a submodule on the test's listener. */
    const withSubmodule = (files: Record<string, string>) => {
      const s = sandbox({
        ...files,
        '.gitmodules': `[submodule "x"]\n\tpath = x\n\turl = http://127.0.0.1:${port}/evil.git\n`,
      });
      git(s.workspace, 'init', '-q', '-b', 'main');
      git(s.workspace, 'add', '.');
      git(s.workspace, 'commit', '-qm', 'one');
      git(
        s.workspace,
        'update-index',
        '--add',
        '--cacheinfo',
        `160000,${git(s.workspace, 'rev-parse', 'HEAD').toString().trim()},x`,
      );
      git(s.workspace, 'commit', '-qm', 'submodule');
      return s;
    };

    it('refuses "#" in againstDirectory: no git fetch of the submodule URLs', async () => {
      const s = withSubmodule(protoWorkspace(GOOD_PROTO));
      const { ctx } = actionContext(s.workspace, {
        workingDirectory: 'api/proto',
        againstDirectory:
          '.git#format=git,branch=main,subdir=api/proto,recurse_submodules=true',
      });
      await expect(
        createBufBreakingAction({ settings }).handler(ctx),
      ).rejects.toThrow(
        /^againstDirectory "\.git#format=git,branch=main,subdir=api\/proto,recurse_submodules=true" is refused: "#" starts buf input options \(format, ref, recurse_submodules\); rename the directory or give a path without "#"$/,
      );
      expect(requests).toEqual([]);
    });

    it('refuses a working directory whose name would add an option to the git input', async () => {
      const dir = 'api,recurse_submodules=true';
      const s = withSubmodule(
        Object.fromEntries(
          Object.entries(protoWorkspace(GOOD_PROTO)).map(([f, c]) => [
            f.replace(/^api\/proto/, dir),
            c,
          ]),
        ),
      );
      const { ctx } = actionContext(s.workspace, {
        workingDirectory: dir,
        againstGitRef: 'main',
      });
      await expect(
        createBufBreakingAction({ settings }).handler(ctx),
      ).rejects.toThrow(
        'workingDirectory "api,recurse_submodules=true" is refused: "#" and "," separate buf input options, and its subdir "api,recurse_submodules=true" holds one; rename the directory so that its path has neither',
      );
      expect(requests).toEqual([]);
    });
  });
});
