import { InputError, isError } from '@backstage/errors';
import {
  ActionContext,
  createTemplateAction as createBackstageTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { ToolFailedError } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';

/** How much of a tool's diagnostic the step's failure line carries at most. */
const MAX_MESSAGE = 2000;

/** Every spelling of the workspace's path a message may hold: as given, real, and as a file:// URL. */
function workspaceSpellings(workspacePath: string): string[] {
  const out = new Set<string>();
  for (const p of [workspacePath, safeRealpath(workspacePath)]) {
    if (!p) continue;
    out.add(p);
    out.add(`file://${encodeURI(p)}`);
  }
  // Longest first: the file:// URL before the path it contains.
  return [...out].sort((a, b) => b.length - a.length);
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** `text` with the workspace's host path written as paths relative to it (`.` for the workspace itself). */
function withoutWorkspacePath(text: string, workspacePath: string): string {
  let out = text;
  for (const spelling of workspaceSpellings(workspacePath)) {
    out = out.split(`${spelling}/`).join('').split(spelling).join('.');
  }
  return out;
}

/** The lines of `text` as one line. */
function oneLine(text: string): string {
  const line = text
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .join(' | ');
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)} …` : line;
}

/** An InputError whose stack is its one line: the step's failure says what, where and how to fix, never the backend's code. */
function stepInputError(message: string): InputError {
  const error = new InputError(message);
  error.stack = `${error.name}: ${message}`;
  return error;
}

/**
 * What a step's failure says to whoever ran the template. A tool that ran
 * and rejected the step's input (exit code, a limit of its sandbox, its time
 * limit) and every InputError are the input's fault: the step fails with an
 * InputError (HTTP 400 where the failure answers a request, as a dry run's
 * does) whose message has no host path of the workspace (a tool's, one line,
 * bounded), and whose stack is that message (Backstage writes the failed step's stack into the
 * task log, and into error responses in development). Anything else is a
 * fault of the backend and keeps its stack.
 */
export function stepError(
  error: unknown,
  ctx: Pick<ActionContext<any, any>, 'workspacePath' | 'input'>,
): unknown {
  if (!isError(error)) return error;
  if (error instanceof ToolFailedError) {
    const { exitCode, signal } = error.result;
    // Never started (no binary, a broken sandbox, cancelled first): the backend's fault.
    if (exitCode === null && signal === null) return error;
    const dir = ctx.input?.workingDirectory;
    const where = typeof dir === 'string' && dir ? ` (in ${dir})` : '';
    return stepInputError(
      `${oneLine(
        withoutWorkspacePath(error.message, ctx.workspacePath),
      )}${where}; fix what it names in the template's files or values, then run the template again`,
    );
  }
  if (error instanceof InputError || error.name === 'InputError') {
    // Its lines as the action wrote them (some list one finding a line).
    const message = withoutWorkspacePath(error.message, ctx.workspacePath);
    if (error instanceof InputError && message === error.message) {
      error.stack = `${error.name}: ${message}`;
      return error;
    }
    return stepInputError(message);
  }
  return error;
}

/**
 * Backstage's createTemplateAction, with the handler's errors made into what
 * a step's failure should say ({@link stepError}). Every action of this module
 * is created through it.
 */
export const createTemplateAction: typeof createBackstageTemplateAction =
  options =>
    createBackstageTemplateAction({
      ...options,
      async handler(ctx) {
        try {
          await options.handler(ctx);
        } catch (e) {
          throw stepError(e, ctx);
        }
      },
    });
