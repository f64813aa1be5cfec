import { actionContext, makeSandbox, testSettings } from '../__testUtils__/context';
import { BAD_QUERIES, GOOD_QUERIES, SQLC_YAML, sqlcWorkspace } from '../__testUtils__/fixtures';
import { createSqlcDiffAction } from './sqlcDiff';
import { createSqlcGenerateAction } from './sqlcGenerate';
import { createSqlcVetAction } from './sqlcVet';

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

describe('sqlc actions with the real sqlc', () => {
  it('sqlc:generate writes the Go code and lists it', async () => {
    const s = sandbox(sqlcWorkspace(GOOD_QUERIES));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await createSqlcGenerateAction(deps).handler(ctx);
    expect(outputs.generatedFiles).toEqual(['svc/sqlcgen/db.go', 'svc/sqlcgen/models.go', 'svc/sqlcgen/order.sql.go']);
  });

  it('sqlc:generate lists the files of every configured output, and only those', async () => {
    const config = `${SQLC_YAML}      json:\n        out: ../api-json\n`;
    const s = sandbox({ ...sqlcWorkspace(GOOD_QUERIES, config), 'svc/notes.txt': 'not generated' });
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await createSqlcGenerateAction(deps).handler(ctx);
    expect(outputs.generatedFiles).toEqual([
      'svc/api-json/codegen_request.json',
      'svc/sqlcgen/db.go',
      'svc/sqlcgen/models.go',
      'svc/sqlcgen/order.sql.go',
    ]);
  });

  it('sqlc:generate reports a bad query with file, line and column', async () => {
    const s = sandbox(sqlcWorkspace(BAD_QUERIES));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await expect(createSqlcGenerateAction(deps).handler(ctx)).rejects.toThrow(/sqlc failed with exit code 1/);
    expect(outputs.violations[0]).toMatchObject({ path: 'queries/order.sql', line: 2 });
    expect(outputs.violations[0].message).toContain('missing_column');
  });

  it('sqlc:vet passes good queries', async () => {
    const s = sandbox(sqlcWorkspace(GOOD_QUERIES));
    const { ctx, outputs } = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await createSqlcVetAction(deps).handler(ctx);
    expect(outputs).toEqual({ ok: true, violations: [] });
  });

  it('sqlc:diff is clean after generate and reports an edited file', async () => {
    const s = sandbox(sqlcWorkspace(GOOD_QUERIES));
    await createSqlcGenerateAction(deps).handler(actionContext(s.workspace, { workingDirectory: 'svc/db' }).ctx);
    const clean = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await createSqlcDiffAction(deps).handler(clean.ctx);
    expect(clean.outputs.ok).toBe(true);
    require('node:fs').appendFileSync(`${s.workspace}/svc/sqlcgen/models.go`, '\n// edited\n');
    const dirty = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await expect(createSqlcDiffAction(deps).handler(dirty.ctx)).rejects.toThrow(/out of date/);
    expect(dirty.outputs.diff).toContain('edited');
  });
});
