import {
  commonDir,
  diffFiles,
  lastLine,
  nameList,
  summarizeDiff,
  withRelativeNames,
} from './diffSummary';

// As sqlc 1.x and buf 1.x print them (captured from the tools in .tools/bin).
const SQLC_DIFF =
  '--- a/tmp/ws/svc/sqlcgen/db.go\n+++ b/tmp/ws/svc/sqlcgen/db.go\n@@ -30,5 +30,3 @@\n }\n-\n-// edited\n' +
  '--- a/tmp/ws/svc/sqlcgen/models.go\n+++ b/tmp/ws/svc/sqlcgen/models.go\n@@ -13,5 +13,3 @@\n }\n-\n-// edited\n';
const BUF_DIFF =
  'diff -u order/v1/order_service.proto.orig order/v1/order_service.proto\n' +
  '--- order/v1/order_service.proto.orig\t2026-12-06 14:05:13.839372276 +0000\n' +
  '+++ order/v1/order_service.proto\t2026-12-06 14:05:13.839372276 +0000\n' +
  '@@ -9,7 +9,7 @@\n-  string    id=1;\n+  string id = 1;\n';

describe('diffSummary', () => {
  it("writes sqlc's file names relative to the workspace, as git does", () => {
    const diff = withRelativeNames(SQLC_DIFF, '/tmp/ws');
    expect(diff).not.toContain('/tmp/ws');
    expect(diff).toContain('--- a/svc/sqlcgen/db.go\n+++ b/svc/sqlcgen/db.go');
    expect(diffFiles(diff, '/tmp/ws', true)).toEqual([
      '/tmp/ws/svc/sqlcgen/db.go',
      '/tmp/ws/svc/sqlcgen/models.go',
    ]);
  });

  it("reads buf's file names relative to its working directory", () => {
    expect(diffFiles(BUF_DIFF, '/tmp/ws/api/proto')).toEqual([
      '/tmp/ws/api/proto/order/v1/order_service.proto',
    ]);
  });

  it('names the common directory and the first files', () => {
    expect(commonDir(['svc/sqlcgen/a.go', 'svc/sqlcgen/b.go'])).toBe(
      'svc/sqlcgen',
    );
    expect(commonDir(['a/x/1.go', 'a/y/2.go'])).toBe('a');
    expect(commonDir(['x.go', 'a/y.go'])).toBe('.');
    expect(nameList(['a.go', 'b.go', 'c.go', 'd.go'])).toBe(
      'a.go, b.go, c.go, …',
    );
    expect(lastLine('error one\nconfig file missing\n\n')).toBe(
      'config file missing',
    );
  });

  it('logs the whole diff and returns the files for one line', () => {
    const warn = jest.fn();
    const summary = summarizeDiff({ logger: { warn } } as any, {
      diff: withRelativeNames(SQLC_DIFF, '/tmp/ws'),
      cwd: '/tmp/ws',
      root: '/tmp/ws',
      tool: 'sqlc diff',
      prefixed: true,
    });
    expect(summary).toEqual({
      dir: 'svc/sqlcgen',
      files: ['svc/sqlcgen/db.go', 'svc/sqlcgen/models.go'],
      list: 'db.go, models.go',
    });
    expect(warn.mock.calls[0][0]).toContain('-// edited');
  });
});
