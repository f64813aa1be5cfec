import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GoldenPathSettings } from '../lib/settings';

/** The project tools directory (scripts/setup.sh installs the CLIs there). */
export const TOOLS_DIR =
  process.env.GOLDEN_PATH_TOOLS_DIR ??
  path.resolve(__dirname, '../../../../.tools');

export function testSettings(
  overrides: Partial<GoldenPathSettings> = {},
): GoldenPathSettings {
  return {
    toolsDir: TOOLS_DIR,
    binaries: {},
    allowedPlugins: ['protoc-gen-go', 'protoc-gen-go-grpc'],
    sqlcProcessPlugins: [],
    timeouts: {},
    defaultTimeoutMs: 120_000,
    toolConcurrency: 8,
    atlasDevDatabase:
      'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable',
    localRoots: [],
    // The tests run every tool in the sandbox, as a production backend does.
    sandbox: {
      mode: 'required',
      limits: {
        cpuSeconds: 120,
        memoryBytes: 8 * 2 ** 30,
        fileSizeBytes: 2 ** 30,
        processes: 4096,
      },
    },
    ...overrides,
  };
}

/** A fresh directory holding `workspace/` and, beside it, `outside/` with a sentinel file. */
export function makeSandbox(files: Record<string, string> = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-action-'));
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(workspace);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'sentinel.txt'), 'untouched');
  writeFiles(workspace, files);
  return {
    root,
    workspace,
    outside,
    /** Everything under outside/, to prove nothing was written there. */
    outsideListing: () => fs.readdirSync(outside).sort(),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export function writeFiles(dir: string, files: Record<string, string>) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** A scaffolder action context over a workspace, recording outputs. */
export function actionContext(
  workspacePath: string,
  input: Record<string, any>,
  signal?: AbortSignal,
) {
  const outputs: Record<string, any> = {};
  const ctx = {
    logger: mockServices.logger.mock(),
    workspacePath,
    input,
    signal,
    task: { id: 'task-1' },
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'gp-tmp-')),
    getInitiatorCredentials: async () => mockCredentials.user(),
  } as unknown as ActionContext<any, any>;
  return { ctx, outputs };
}
