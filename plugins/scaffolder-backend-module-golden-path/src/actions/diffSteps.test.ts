import { InputError } from '@backstage/errors';
import { ToolResult } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import { actionContext, testSettings } from '../__testUtils__/context';
import { useSandboxes } from '../__testUtils__/sandboxes';
import { createBufFormatAction } from './bufFormat';
import { createSqlcDiffAction } from './sqlcDiff';
import { createSqlcVetAction } from './sqlcVet';

// The tools' answers, canned: what the step makes of them is under test here
// (buf.test.ts and sqlc.test.ts run the real tools).
let mockResult: (cwd: string) => Partial<ToolResult>;
jest.mock('../lib/toolStep', () => {
  const actual = jest.requireActual('../lib/toolStep');
  return {
    ...actual,
    runToolStep: async (_ctx: unknown, o: { cwd: string }) => ({
      exitCode: 0,
      signal: null,
      stdout: '',
      stderr: '',
      durationMs: 1,
      ...mockResult(o.cwd),
    }),
  };
});
jest.mock('../lib/sqlcConfig', () => ({
  checkSqlcWorkspace: () => ({ outDirs: [] }),
}));

const deps = { settings: testSettings() };
const sandbox = useSandboxes();

/** The step's failure, as the scaffolder gets it (through createTemplateAction's wrapper). */
async function failure(
  action: { handler: (ctx: any) => Promise<void> },
  ctx: any,
): Promise<Error> {
  try {
    await action.handler(ctx);
  } catch (e) {
    return e as Error;
  }
  throw new Error('the step did not fail');
}

/** An input's fault: InputError (HTTP 400 in a dry run), one line, no stack, no host path. */
function expectInputError(e: Error, workspace: string) {
  expect(e).toBeInstanceOf(InputError);
  expect(e.message.split('\n')).toHaveLength(1);
  expect(e.stack).toBe(`InputError: ${e.message}`);
  expect(e.message).not.toContain(workspace);
  expect(e.message).not.toContain(fs.realpathSync(workspace));
}

const logged = (ctx: any) =>
  (ctx.logger.warn as jest.Mock).mock.calls.map(c => String(c[0])).join('\n');

describe('bad input: what sqlc:diff, sqlc:vet and buf:format find fails the step in one line', () => {
  it('sqlc:diff: out-of-date generated code names the directory, the files and the fix', async () => {
    const s = sandbox({ 'svc/db/sqlc.yaml': 'version: "2"\n' });
    const real = fs.realpathSync(s.workspace).slice(1);
    const files = ['db.go', 'models.go', 'order.sql.go', 'querier.go'];
    mockResult = () => ({
      exitCode: 1,
      stderr: files
        .map(
          f =>
            `--- a/${real}/svc/sqlcgen/${f}\n+++ b/${real}/svc/sqlcgen/${f}\n@@ -1 +1 @@\n-old\n+new\n`,
        )
        .join(''),
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
    });
    const e = await failure(createSqlcDiffAction(deps), ctx);
    expectInputError(e, s.workspace);
    expect(e.message).toBe(
      "sqlc diff: generated code in svc/sqlcgen is out of date for 4 files (db.go, models.go, order.sql.go, …): run sqlc generate in svc/db (make generate at a monorepo's root) and commit the result; the diff is in the task log",
    );
    // The diff: in the task log and the output, with workspace-relative names.
    expect(logged(ctx)).toContain('+++ b/svc/sqlcgen/querier.go');
    expect(outputs.ok).toBe(false);
    expect(outputs.diff).toContain('--- a/svc/sqlcgen/db.go');
    expect(outputs.diff).not.toContain(real);
  });

  it('sqlc:diff with failOnViolations false reports the same line as a warning', async () => {
    const s = sandbox({ 'svc/db/sqlc.yaml': 'version: "2"\n' });
    const real = fs.realpathSync(s.workspace).slice(1);
    mockResult = () => ({
      exitCode: 1,
      stderr: `--- a/${real}/svc/sqlcgen/db.go\n+++ b/${real}/svc/sqlcgen/db.go\n@@ -1 +1 @@\n-a\n+b\n`,
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
      failOnViolations: false,
    });
    await createSqlcDiffAction(deps).handler(ctx);
    expect(outputs.ok).toBe(false);
    expect(logged(ctx)).toContain(
      'generated code in svc/sqlcgen is out of date for 1 file (db.go)',
    );
  });

  it.each([
    ['sqlc:diff', createSqlcDiffAction, 'sqlc diff'],
    ['sqlc:vet', createSqlcVetAction, 'sqlc vet'],
  ])(
    '%s: sqlc refusing its config names the last line and the fix',
    async (_id, create, tool) => {
      const s = sandbox({ 'svc/db/sqlc.yaml': 'version: "2"\n' });
      mockResult = cwd => ({
        exitCode: 1,
        stderr: `error parsing configuration files. sqlc.(yaml|yml) or sqlc.json: file does not exist\nopen ${cwd}/queries: no such file or directory\n`,
      });
      const { ctx } = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
      });
      const e = await failure(create(deps), ctx);
      expectInputError(e, s.workspace);
      expect(e.message).toBe(
        `${tool} in svc/db failed: open svc/db/queries: no such file or directory; fix what it names in sqlc.yaml or the queries (its whole output is in the task log)`,
      );
      expect(logged(ctx)).toContain('error parsing configuration files');
    },
  );

  it('buf:format: unformatted protos name the directory, the files and the fix', async () => {
    const s = sandbox({ 'api/proto/buf.yaml': 'version: v2\n' });
    const proto = (f: string) =>
      `diff -u ${f}.orig ${f}\n--- ${f}.orig\t2026-01-01 00:00:00 +0000\n+++ ${f}\t2026-01-01 00:00:00 +0000\n@@ -1 +1 @@\n-  string    id=1;\n+  string id = 1;\n`;
    mockResult = () => ({
      exitCode: 100,
      stdout: proto('order/v1/order.proto') + proto('order/v1/types.proto'),
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
    });
    const e = await failure(createBufFormatAction(deps), ctx);
    expectInputError(e, s.workspace);
    expect(e.message).toBe(
      'buf format: 2 protos in api/proto/order/v1 not formatted (order.proto, types.proto): run buf format -w in api/proto (or this step with mode: write) and commit the result; the diff is in the task log',
    );
    expect(logged(ctx)).toContain('+  string id = 1;');
    expect(outputs.ok).toBe(false);
  });
});
