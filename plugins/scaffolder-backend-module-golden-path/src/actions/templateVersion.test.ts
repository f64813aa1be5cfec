import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  actionContext,
  makeSandbox,
  writeFiles,
} from '../__testUtils__/context';
import { FORGE, forgeIntegrations } from '../__testUtils__/forgeIntegrations';
import { gitForge, templateFiles } from '../__testUtils__/gitForge';
import { skeletonRevision } from '../lib/templateVersions';
import { createTemplateVersionAction } from './templateVersion';

/** The templates repository: real git, read through Backstage's UrlReaderService as from Gitea. */
const forge = gitForge(path.join(makeSandbox().root, 'templates-repo'));
const action = createTemplateVersionAction({
  reader: forge.reader,
  integrations: forgeIntegrations,
});

function run(
  workspace: string,
  templateInfo: Record<string, unknown>,
  input: Record<string, unknown> = {},
) {
  const { ctx, outputs } = actionContext(workspace, input);
  (ctx as any).templateInfo = templateInfo;
  return action.handler(ctx).then(() => ({ ctx, outputs }));
}

describe('golden-path:template:version', () => {
  it("records a local template's name, version and revision, and stores its skeletons once", async () => {
    const s = makeSandbox();
    const dir = path.join(s.root, 'templates/go-service');
    writeFiles(dir, {
      'template.yaml':
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-service\n  annotations:\n    golden-path.dev/template-version: '2.0.0'\n",
      'skeleton/a.txt': 'a\n',
    });
    try {
      const baseUrl = pathToFileURL(path.join(dir, 'template.yaml')).href;
      const { outputs } = await run(s.workspace, { entityRef: 't', baseUrl });
      expect(outputs.templateUrl).toBe('.');
      const revision = skeletonRevision(dir);
      expect(outputs.record).toEqual({
        name: 'go-service',
        version: '2.0.0',
        revision,
      });
      expect(
        fs.readFileSync(
          path.join(dir, '.versions', revision, 'skeleton/a.txt'),
          'utf8',
        ),
      ).toBe('a\n');
      await run(s.workspace, { entityRef: 't', baseUrl });
      expect(fs.readdirSync(path.join(dir, '.versions'))).toEqual([revision]);
    } finally {
      s.cleanup();
    }
  });

  it("records another template's version (template: ./go-service), and refuses a directory outside the running template's", async () => {
    const s = makeSandbox();
    const templates = path.join(s.root, 'templates');
    writeFiles(templates, {
      'onboard-team.yaml':
        'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: onboard-team\n',
      'go-service/template.yaml':
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-service\n  annotations:\n    golden-path.dev/template-version: '1.0.0'\n",
      'go-service/skeleton/a.txt': 'a\n',
    });
    writeFiles(s.root, { 'elsewhere/template.yaml': 'kind: Template\n' });
    try {
      const baseUrl = pathToFileURL(
        path.join(templates, 'onboard-team.yaml'),
      ).href;
      const { outputs } = await run(
        s.workspace,
        { entityRef: 't', baseUrl },
        { template: './go-service' },
      );
      expect(outputs.record).toEqual({
        name: 'go-service',
        version: '1.0.0',
        revision: skeletonRevision(path.join(templates, 'go-service')),
      });
      expect(outputs.templateUrl).toBe('./go-service');
      for (const bad of ['../elsewhere', '/etc', './missing', '.'])
        await expect(
          run(s.workspace, { entityRef: 't', baseUrl }, { template: bad }),
        ).rejects.toThrow(
          /^template: ".*" is not a template directory \(with a template\.yaml\) inside /,
        );
    } finally {
      s.cleanup();
    }
  });

  it("records a Gitea template's commit and renders from the directory at that commit", async () => {
    const s = makeSandbox();
    const v1 = forge.push(
      templateFiles('go-service', '1.4.0', { 'skeleton/a.txt': 'a\n' }),
    );
    writeFiles(s.root, { 'local/skeleton/a.txt': 'a\n' });
    try {
      const url = `${FORGE}/platform/templates/src/branch/main/go-service`;
      const { outputs } = await run(s.workspace, {
        entityRef: 'template:default/go-service',
        baseUrl: `${url}/template.yaml`,
      });
      // The same skeletons hash alike wherever they are read from.
      const revision = skeletonRevision(path.join(s.root, 'local'));
      expect(outputs.record).toEqual({
        name: 'go-service',
        version: '1.4.0',
        revision,
        source: { url, commit: v1 },
      });
      expect(outputs.templateUrl).toBe(
        `${FORGE}/platform/templates/src/commit/${v1}/go-service`,
      );
      expect(fs.existsSync(path.join(s.root, '.versions'))).toBe(false);
      // Another template's directory, from the running template's repository.
      const other = await run(
        s.workspace,
        {
          entityRef: 'template:default/onboard-team',
          baseUrl: `${FORGE}/platform/templates/src/branch/main/onboard-team.yaml`,
        },
        { template: './go-service' },
      );
      expect(other.outputs.record).toEqual(outputs.record);
      await expect(
        run(
          s.workspace,
          {
            entityRef: 'template:default/onboard-team',
            baseUrl: `${FORGE}/platform/templates/src/branch/main/onboard-team.yaml`,
          },
          { template: '../elsewhere' },
        ),
      ).rejects.toThrow(
        `template: "../elsewhere" is not a directory inside the running template's directory; name one relative to it, like ./go-service`,
      );
    } finally {
      s.cleanup();
    }
  });

  it('fails in one line when the git source cannot be read', async () => {
    const s = makeSandbox();
    try {
      await expect(
        run(s.workspace, {
          entityRef: 'template:default/go-service',
          baseUrl: `${FORGE}/platform/gone/src/branch/main/go-service/template.yaml`,
        }),
      ).rejects.toThrow(
        `the template ${FORGE}/platform/gone/src/branch/main/go-service cannot be read from its gitea source to record its version: ${FORGE}/platform/gone/src/branch/main/go-service: 404`,
      );
    } finally {
      s.cleanup();
    }
  });

  it('records a template from neither a directory nor GitHub or Gitea without a revision, and says so', async () => {
    const s = makeSandbox();
    try {
      const { ctx, outputs } = await run(s.workspace, {
        entityRef: 'template:default/go-service',
        baseUrl:
          'https://gitlab.com/acme/templates/-/blob/main/go-service/template.yaml',
        entity: {
          metadata: {
            name: 'go-service',
            annotations: { 'golden-path.dev/template-version': '1.4.0' },
          },
        },
      });
      expect(outputs.record).toEqual({
        name: 'go-service',
        version: '1.4.0',
        revision: '',
      });
      expect((ctx.logger.warn as jest.Mock).mock.calls[0][0]).toMatch(
        /go-service is not read from a local directory nor from a GitHub or Gitea integration \(https:\/\/gitlab\.com\/acme\/templates\/-\/blob\/main\/go-service\/template\.yaml\): its version is recorded without a skeleton revision/,
      );
    } finally {
      s.cleanup();
    }
  });
});
