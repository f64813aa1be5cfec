import fs from 'node:fs';
import path from 'node:path';
import { actionContext, makeSandbox, testSettings } from '../__testUtils__/context';
import { BROKEN_PROTO, GOOD_PROTO, LINT_BAD_PROTO, protoWorkspace } from '../__testUtils__/fixtures';
import { createBufBreakingAction } from './bufBreaking';
import { createBufBuildAction } from './bufBuild';
import { createBufFormatAction } from './bufFormat';
import { createBufGenerateAction } from './bufGenerate';
import { createBufLintAction } from './bufLint';

const deps = { settings: testSettings() };
let sandboxes: ReturnType<typeof makeSandbox>[] = [];
const sandbox = (files: Record<string, string>) => {
  const s = makeSandbox(files);
  sandboxes.push(s);
  return s;
};
afterEach(() => {
  sandboxes.forEach(s => s.cleanup());
  sandboxes = [];
});

describe('buf actions with the real buf', () => {
  it('buf:lint passes a clean module', async () => {
    const s = sandbox(protoWorkspace(GOOD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'api/proto' });
    await createBufLintAction(deps).handler(ctx);
    expect(outputs).toEqual({ ok: true, violations: [] });
  });

  it('buf:lint reports violations with file, line and rule', async () => {
    const s = sandbox(protoWorkspace(LINT_BAD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'api/proto' });
    await expect(createBufLintAction(deps).handler(ctx)).rejects.toThrow(/buf lint reported \d+ violation/);
    expect(outputs.ok).toBe(false);
    expect(outputs.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'order/v1/order_service.proto', line: 9, rule: 'SERVICE_SUFFIX' }),
        expect.objectContaining({ rule: 'ENUM_ZERO_VALUE_SUFFIX', line: 6 }),
      ]),
    );
  });

  it('buf:lint with failOnViolations false lets the template branch', async () => {
    const s = sandbox(protoWorkspace(LINT_BAD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'api/proto', failOnViolations: false });
    await createBufLintAction(deps).handler(ctx);
    expect(outputs.ok).toBe(false);
    expect(outputs.violations.length).toBeGreaterThan(1);
  });

  it('buf:build reports a compile error at its line', async () => {
    const s = sandbox(protoWorkspace(BROKEN_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'api/proto' });
    await expect(createBufBuildAction(deps).handler(ctx)).rejects.toThrow(/buf build reported/);
    expect(outputs.violations[0]).toMatchObject({ path: 'order/v1/order_service.proto', line: 5, rule: 'COMPILE' });
  });

  it('buf:generate runs the allow-listed local plugins and lists the files', async () => {
    const s = sandbox(protoWorkspace(GOOD_PROTO));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'api/proto' });
    await createBufGenerateAction(deps).handler(ctx);
    expect(outputs.generatedFiles).toEqual([
      'gen/order/v1/order_service.pb.go',
      'gen/order/v1/order_service_grpc.pb.go',
    ]);
    expect(fs.readFileSync(path.join(s.workspace, outputs.generatedFiles[0]), 'utf8')).toContain('package orderv1');
  });

  it('buf:format check fails on an unformatted file and write fixes it', async () => {
    const s = sandbox(protoWorkspace(GOOD_PROTO.replace('string id = 1;', 'string    id=1;')));
    const check = actionContext(s.workspace, { workingDirectory: 'api/proto', mode: 'check' });
    await expect(createBufFormatAction(deps).handler(check.ctx)).rejects.toThrow(/unformatted/);
    expect(check.outputs.ok).toBe(false);
    const write = actionContext(s.workspace, { workingDirectory: 'api/proto', mode: 'write' });
    await createBufFormatAction(deps).handler(write.ctx);
    expect(write.outputs.files).toEqual(['api/proto/order/v1/order_service.proto']);
    const again = actionContext(s.workspace, { workingDirectory: 'api/proto', mode: 'check' });
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
    expect(outputs.violations[0].rule).toBe('FIELD_NO_DELETE_UNLESS_NAME_RESERVED');
  });
});
