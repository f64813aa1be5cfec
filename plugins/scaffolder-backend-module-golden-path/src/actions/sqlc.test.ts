import { locateBinary } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  actionContext,
  testSettings,
  TOOLS_DIR,
} from '../__testUtils__/context';
import { useSandboxes } from '../__testUtils__/sandboxes';
import {
  BAD_QUERIES,
  GOOD_QUERIES,
  SQLC_YAML,
  sqlcWorkspace,
} from '../__testUtils__/fixtures';
import { createSqlcDiffAction } from './sqlcDiff';
import { createSqlcGenerateAction } from './sqlcGenerate';
import { createSqlcVetAction } from './sqlcVet';

const deps = { settings: testSettings() };
const sandbox = useSandboxes();

describe('sqlc actions with the real sqlc', () => {
  it('sqlc:generate writes the Go code and lists it', async () => {
    const s = sandbox(sqlcWorkspace(GOOD_QUERIES));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
    });
    await createSqlcGenerateAction(deps).handler(ctx);
    expect(outputs.generatedFiles).toEqual([
      'svc/sqlcgen/db.go',
      'svc/sqlcgen/models.go',
      'svc/sqlcgen/order.sql.go',
    ]);
  });

  it('sqlc:generate lists the files of every configured output, and only those', async () => {
    const config = `${SQLC_YAML}      json:\n        out: ../api-json\n`;
    const s = sandbox({
      ...sqlcWorkspace(GOOD_QUERIES, config),
      'svc/notes.txt': 'not generated',
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
    });
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
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
    });
    await expect(createSqlcGenerateAction(deps).handler(ctx)).rejects.toThrow(
      /sqlc failed with exit code 1/,
    );
    expect(outputs.violations[0]).toMatchObject({
      path: 'queries/order.sql',
      line: 2,
    });
    expect(outputs.violations[0].message).toContain('missing_column');
  });

  it('sqlc:vet passes good queries', async () => {
    const s = sandbox(sqlcWorkspace(GOOD_QUERIES));
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
    });
    await createSqlcVetAction(deps).handler(ctx);
    expect(outputs).toEqual({ ok: true, violations: [] });
  });

  it('sqlc:diff is clean after generate and reports an edited file', async () => {
    const s = sandbox(sqlcWorkspace(GOOD_QUERIES));
    await createSqlcGenerateAction(deps).handler(
      actionContext(s.workspace, { workingDirectory: 'svc/db' }).ctx,
    );
    const clean = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await createSqlcDiffAction(deps).handler(clean.ctx);
    expect(clean.outputs.ok).toBe(true);
    require('node:fs').appendFileSync(
      `${s.workspace}/svc/sqlcgen/models.go`,
      '\n// edited\n',
    );
    const dirty = actionContext(s.workspace, { workingDirectory: 'svc/db' });
    await expect(createSqlcDiffAction(deps).handler(dirty.ctx)).rejects.toThrow(
      /^sqlc diff: generated code in svc\/sqlcgen is out of date for 1 file \(models\.go\): run sqlc generate in svc\/db/,
    );
    expect(dirty.outputs.diff).toContain('edited');
  });

  // With the sandbox off too: the fix holds without it.
  describe.each([
    ['in the sandbox', deps.settings],
    [
      'without the sandbox',
      testSettings({ sandbox: { ...deps.settings.sandbox, mode: 'off' } }),
    ],
  ])('programs and databases named by sqlc.yaml, %s', (_name, baseSettings) => {
    const SQL =
      'sql:\n  - engine: postgresql\n    schema: schema/schema.sql\n    queries: queries\n';
    const processPlugin = (name: string, cmd: string) =>
      `version: "2"\nplugins:\n  - name: ${name}\n    process:\n      cmd: ${cmd}\n${SQL}    codegen:\n      - plugin: ${name}\n        out: gen\n`;

    it('refuses a workspace program under an allow-listed plugin name: it does not run', async () => {
      const s = sandbox(
        sqlcWorkspace(GOOD_QUERIES, processPlugin('protoc-gen-go', './gen.sh')),
      );
      const marker = path.join(s.outside, 'gen-sh-ran');
      fs.writeFileSync(
        path.join(s.workspace, 'svc/db/gen.sh'),
        `#!/bin/sh\ncat >/dev/null\ntouch ${marker}\n`,
        { mode: 0o755 },
      );
      const { ctx } = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
      });
      await expect(
        createSqlcGenerateAction({ settings: baseSettings }).handler(ctx),
      ).rejects.toThrow(
        /^svc\/db\/sqlc\.yaml: plugins\[0\]\.process\.cmd "\.\/gen\.sh" is refused: it runs a program of the workspace, which is not an allowed sqlc plugin program; install the plugin in the tools directory and list it in goldenPath\.tools\.sqlcProcessPlugins$/,
      );
      expect(fs.existsSync(marker)).toBe(false);
      expect(fs.readdirSync(path.join(s.workspace, 'svc/db')).sort()).toEqual([
        'gen.sh',
        'queries',
        'schema',
        'sqlc.yaml',
      ]);
    });

    it('runs a process plugin whose program is allow-listed in the tools directory', async () => {
      const s = sandbox(
        sqlcWorkspace(
          GOOD_QUERIES,
          processPlugin('sqlc-gen-test', 'sqlc-gen-test'),
        ),
      );
      const tools = path.join(s.root, 'tools');
      fs.mkdirSync(path.join(tools, 'bin'), { recursive: true });
      // A plugin answering with an empty CodeGenResponse, leaving a mark in its output directory.
      fs.writeFileSync(
        path.join(tools, 'bin/sqlc-gen-test'),
        '#!/bin/sh\ncat >/dev/null\nmkdir -p gen\necho ran > gen/ran\n',
        {
          mode: 0o755,
        },
      );
      const sqlc = locateBinary('sqlc', { toolsDir: TOOLS_DIR });
      const settings = {
        ...baseSettings,
        toolsDir: tools,
        binaries: { sqlc },
        sqlcProcessPlugins: ['sqlc-gen-test'],
      };
      const { ctx, outputs } = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
      });
      await createSqlcGenerateAction({ settings }).handler(ctx);
      expect(outputs.generatedFiles).toEqual(['svc/db/gen/ran']);
    });

    it('refuses sql[].database: sqlc connects to no database', async () => {
      const connections: net.Socket[] = [];
      const server = net.createServer(socket => {
        connections.push(socket);
        socket.destroy();
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      try {
        const { port } = server.address() as net.AddressInfo;
        const config = `${SQLC_YAML}    database:\n      uri: postgresql://postgres@127.0.0.1:${port}/postgres\n`;
        const s = sandbox(sqlcWorkspace(GOOD_QUERIES, config));
        for (const create of [createSqlcGenerateAction, createSqlcVetAction]) {
          const { ctx } = actionContext(s.workspace, {
            workingDirectory: 'svc/db',
          });
          await expect(
            create({ settings: baseSettings }).handler(ctx),
          ).rejects.toThrow(
            /^svc\/db\/sqlc\.yaml: sql\[0\]\.database is refused: sqlc would connect to it \(expanding \$\{ENV\} in its URI\) from the backend; remove it: sqlc generate and vet work from the schema files$/,
          );
        }
        expect(connections).toHaveLength(0);
        expect(fs.existsSync(path.join(s.workspace, 'svc/sqlcgen'))).toBe(
          false,
        );
      } finally {
        await new Promise(resolve => server.close(resolve));
      }
    });
  });
});
