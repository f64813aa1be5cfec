import { InputError, serializeError } from '@backstage/errors';
import { ToolFailedError } from '@golden-path/plugin-golden-path-node';
import { actionContext, testSettings } from '../__testUtils__/context';
import { GOOD_PROTO, protoWorkspace } from '../__testUtils__/fixtures';
import { useSandboxes } from '../__testUtils__/sandboxes';
import { createBufLintAction } from '../actions/bufLint';
import { stepError } from './templateAction';

// A failed step's error is what Backstage shows: its name decides the HTTP
// status of a dry run (InputError: 400, anything else: 500), its stack is
// written into the task log (and into error responses in development).
const sandbox = useSandboxes();
const deps = { settings: testSettings() };

/** What the step's failure says: the error the handler threw, as Backstage serializes it with stacks on. */
async function failure(handler: () => Promise<void>) {
  const error = await handler().then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(Error);
  return serializeError(error, { includeStack: true });
}

describe('a failed step of an action of this module', () => {
  it('is one line, an InputError without a stack or host paths, when the tool rejected the input', async () => {
    const s = sandbox(
      protoWorkspace(GOOD_PROTO, {
        'api/proto/buf.yaml': 'version: v2\nlint:\n  use: [NO_SUCH_RULE]\n',
      }),
    );
    const { ctx } = actionContext(s.workspace, {
      workingDirectory: 'api/proto',
    });
    const body = await failure(() => createBufLintAction(deps).handler(ctx));
    expect(body.name).toBe('InputError');
    expect(body.message).toMatch(
      /^buf failed with exit code \d+: .*NO_SUCH_RULE.* \(in api\/proto\); fix what it names in the template's files or values, then run the template again$/,
    );
    expect(body.stack).toBe(`InputError: ${body.message}`);
    expect(JSON.stringify(body)).not.toContain(s.root);
    // The tool's whole output stays out of the error (it is in the task log).
    expect(body).not.toHaveProperty('result');
    expect(body.cause).toBeUndefined();
  });

  it('is an InputError whose stack is its message when the input is refused before any tool runs', async () => {
    const s = sandbox(protoWorkspace(GOOD_PROTO));
    const { ctx } = actionContext(s.workspace, { workingDirectory: '../x' });
    const body = await failure(() => createBufLintAction(deps).handler(ctx));
    expect(body.name).toBe('InputError');
    expect(body.message).toBe(
      'workingDirectory "../x" points outside the task workspace',
    );
    expect(body.stack).toBe(`InputError: ${body.message}`);
  });
});

describe('stepError', () => {
  const ran = (message: string) =>
    new ToolFailedError(message, {
      exitCode: 1,
      signal: null,
      stdout: 'all the output',
      stderr: 'all the errors',
      durationMs: 5,
    });
  const ws = '/srv/backstage/workspaces/task-1';

  it('writes the workspace host path (also as a file:// URL) relative to it', () => {
    const e = stepError(
      ran(
        `atlas failed with exit code 1: Error: open ${ws}/db/migrations/x.sql: permission denied\nin file://${ws}/db/migrations and ${ws}`,
      ),
      { workspacePath: ws, input: { workingDirectory: 'db' } },
    ) as Error;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(
      "atlas failed with exit code 1: Error: open db/migrations/x.sql: permission denied | in db/migrations and . (in db); fix what it names in the template's files or values, then run the template again",
    );
    expect(e.stack).toBe(`InputError: ${e.message}`);
  });

  it('says when a tool was stopped by a limit of its sandbox, though it exited 0', () => {
    const stopped = new ToolFailedError(
      "sqlc was stopped: the sandbox's limit of 50 processes and threads was reached; raise goldenPath.sandbox.limits.processes",
      { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 5 },
    );
    const e = stepError(stopped, { workspacePath: ws, input: {} }) as Error;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^sqlc was stopped: the sandbox's limit/);
  });

  it('leaves a fault of the backend as it is, stack and all', () => {
    const notStarted = new ToolFailedError(
      'buf could not be started: spawn ENOENT',
      { exitCode: null, signal: null, stdout: '', stderr: '', durationMs: 0 },
    );
    expect(stepError(notStarted, { workspacePath: ws, input: {} })).toBe(
      notStarted,
    );
    const bug = new TypeError('x is undefined');
    const stack = bug.stack;
    expect(stepError(bug, { workspacePath: ws, input: {} })).toBe(bug);
    expect(bug.stack).toBe(stack);
  });
});
