import fs from 'node:fs';
import path from 'node:path';
import { actionContext, makeSandbox, writeFiles } from './context';

/**
 * Runs a day-2 plan action (rpc:plan, job:plan) in a fresh workspace whose
 * before/ holds `files`, with `input` and workingDirectory before/; checks
 * the plan wrote nothing beside before/ and returns its outputs. `options`:
 * a dry run, and where the lines it logs at info go.
 */
export async function runPlanAction(
  action: { handler(ctx: any): Promise<void> },
  files: Record<string, string>,
  input: Record<string, unknown>,
  options: { isDryRun?: boolean; logs?: string[] } = {},
) {
  const s = makeSandbox();
  writeFiles(path.join(s.workspace, 'before'), files);
  try {
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'before',
      ...input,
    });
    if (options.isDryRun) Object.assign(ctx, { isDryRun: true });
    const logs = options.logs;
    if (logs)
      (ctx.logger.info as jest.Mock).mockImplementation((line: string) =>
        logs.push(line),
      );
    await action.handler(ctx);
    expect(fs.readdirSync(s.workspace)).toEqual(['before']);
    return outputs;
  } finally {
    s.cleanup();
  }
}
