import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
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

/** The test file's directory (Backstage's `createMockDirectory`, removed after the suite). */
let suiteDir: ReturnType<typeof createMockDirectory> | undefined;
let sandboxes = 0;

/**
 * A fresh directory in the test file's mock directory, holding `workspace/`
 * and, beside it, `outside/` with a sentinel file.
 */
export function makeSandbox(files: Record<string, string> = {}) {
  suiteDir ??= createMockDirectory();
  const name = `sandbox-${++sandboxes}`;
  suiteDir.addContent({
    [name]: { workspace: {}, outside: { 'sentinel.txt': 'untouched' } },
  });
  const root = suiteDir.resolve(name);
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'outside');
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

/**
 * Backstage's mock action context (`createMockActionContext`) over a
 * workspace, with a jest-mock logger whose calls the tests read, the abort
 * signal (which the mock does not carry) and the outputs collected by name.
 */
export function actionContext(
  workspacePath: string,
  input: Record<string, any>,
  signal?: AbortSignal,
) {
  const outputs: Record<string, any> = {};
  const base = createMockActionContext({
    workspacePath,
    input,
    logger: mockServices.logger.mock(),
  });
  (base.output as jest.Mock).mockImplementation(
    (name: string, value: unknown) => {
      outputs[name] = value;
    },
  );
  const ctx = { ...base, signal } as unknown as ActionContext<any, any>;
  return { ctx, outputs };
}
