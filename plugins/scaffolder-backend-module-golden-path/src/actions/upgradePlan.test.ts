import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  actionContext,
  makeSandbox,
  testSettings,
  writeFiles,
} from '../__testUtils__/context';
import {
  currentTemplateVersion,
  snapshotDir,
  storeSnapshot,
} from '../lib/templateVersions';
import { FORGE, forgeIntegrations } from '../__testUtils__/forgeIntegrations';
import { gitForge, templateFiles } from '../__testUtils__/gitForge';
import { committedLocalMonorepo } from '../__testUtils__/localMonorepo';
import { recordedOrderService } from '../__testUtils__/recordedService';
import { createTemplateVersionAction } from './templateVersion';
import { createUpgradePlanAction } from './upgradePlan';

/** The reader of a plan whose templates are local: never asked. */
const unusedReader = mockServices.urlReader.mock();
const action = createUpgradePlanAction({
  settings: testSettings(),
  reader: unusedReader,
  integrations: forgeIntegrations,
});

const values = recordedOrderService({
  module: 'github.com/acme/shop/services/order-service',
  pkgModule: 'github.com/acme/shop/pkg',
  stage: 'async',
  fields: [{ name: 'title', type: 'string' }],
  jobs: [{ name: 'sweep', schedule: '@hourly', timeout: '5m' }],
});

/** templates/ with go-service (template.yaml, two skeleton parts), and a checkout of order-service. */
function setup(
  templateVersion?: (v: ReturnType<typeof currentTemplateVersion>) => unknown,
) {
  const s = makeSandbox();
  const templates = path.join(s.root, 'templates');
  const dir = path.join(templates, 'go-service');
  writeFiles(dir, {
    'template.yaml':
      "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-service\n  annotations:\n    golden-path.dev/template-version: '1.0.0'\n",
    'skeleton/services/${{ values.name }}-service/main.go': 'package main\n',
    'skeleton-async/services/${{ values.name }}-service/outbox.go':
      'package outbox\n',
    'skeleton-jobs/services/${{ values.name }}-service/jobs.go':
      'package jobs\n',
    'skeleton-job/services/${{ values.name }}-service/job.go': 'package job\n',
  });
  const v1 = currentTemplateVersion(dir);
  storeSnapshot(dir, v1.revision);
  const doc = {
    template: 'go-service',
    version: 1,
    ...(templateVersion ? { templateVersion: templateVersion(v1) } : {}),
    values,
  };
  writeFiles(s.workspace, {
    'before/services/order-service/.golden-path/values.json':
      JSON.stringify(doc),
  });
  const run = (input: Record<string, unknown> = {}) => {
    const { ctx, outputs } = actionContext(s.workspace, {
      service: 'component:default/order-service',
      workingDirectory: 'before',
      ...input,
    });
    (ctx as any).templateInfo = {
      entityRef: 'template:default/upgrade-service',
      baseUrl: pathToFileURL(path.join(templates, 'upgrade-service.yaml')).href,
    };
    return action.handler(ctx).then(() => outputs);
  };
  return { s, dir, v1, run };
}

describe('golden-path:upgrade:plan', () => {
  it('renders the recorded revision from the store (base) and the current skeletons (next)', async () => {
    const { s, dir, v1, run } = setup(v => v);
    try {
      expect(await run()).toMatchObject({ upToDate: true, from: v1, to: v1 });
      // The platform team changes the skeletons: async is gone, a part is new.
      fs.rmSync(path.join(dir, 'skeleton-async'), { recursive: true });
      fs.appendFileSync(
        path.join(dir, 'skeleton/services/${{ values.name }}-service/main.go'),
        '// 1.1\n',
      );
      const outputs = await run();
      const to = currentTemplateVersion(dir);
      const base = `./go-service/.versions/${v1.revision}`;
      expect(outputs.upToDate).toBe(false);
      expect(outputs.serviceDir).toBe('services/order-service');
      expect(outputs.branchName).toBe(
        `golden-path/upgrade-order-service-${to.revision.slice(7, 19)}`,
      );
      expect(outputs.base.map((r: any) => r.url)).toEqual([
        `${base}/skeleton`,
        `${base}/skeleton-async`,
        `${base}/skeleton-jobs`,
        `${base}/skeleton-job`,
      ]);
      expect(outputs.base[0].values.templateVersion).toEqual(v1);
      expect(outputs.base[3].values.job).toEqual(values.jobs[0]);
      expect(outputs.next.map((r: any) => r.url)).toEqual([
        './go-service/skeleton',
        './go-service/skeleton-jobs',
        './go-service/skeleton-job',
      ]);
      expect(outputs.next[0].values.templateVersion).toEqual(to);
      // The revision upgraded to is stored for the next upgrade.
      expect(fs.existsSync(snapshotDir(dir, to.revision))).toBe(true);
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [
      'no recorded template version',
      undefined,
      'services/order-service/.golden-path/values.json records no template version (templateVersion: name, version, revision): it was made before template versions were recorded, so the skeleton it was made from is unknown; upgrade it by hand (docs/template-versions.md)',
    ],
    [
      'another template',
      (v: any) => ({ ...v, name: 'python-service' }),
      "services/order-service was made by the template python-service, not go-service: upgrade it with that template's upgrade",
    ],
    [
      'a version recorded without a revision (a template from a git source)',
      (v: any) => ({ ...v, revision: '' }),
      'services/order-service/.golden-path/values.json records go-service 1.0.0 without a skeleton revision (the template was not read from a local directory), so the skeleton it was made from cannot be retrieved; upgrade it by hand (docs/template-versions.md)',
    ],
    [
      'a revision no longer stored',
      (v: any) => ({ ...v, revision: `sha256-${'0'.repeat(64)}` }),
      `the skeletons of go-service 1.0.0 (sha256-000000000000) that made services/order-service can no longer be retrieved: go-service/.versions/sha256-${'0'.repeat(
        64,
      )} is missing or altered; restore it from a backup of the template's store, or upgrade by hand (docs/template-versions.md)`,
    ],
  ])('refuses %s in one line', async (_label, version, message) => {
    const { s, run } = setup(version as any);
    try {
      await expect(run()).rejects.toThrow(message);
    } finally {
      s.cleanup();
    }
  });

  it('refuses a service without recorded values', async () => {
    const { s, run } = setup(v => v);
    try {
      fs.rmSync(
        path.join(s.workspace, 'before/services/order-service/.golden-path'),
        {
          recursive: true,
        },
      );
      await expect(run()).rejects.toThrow(
        'services/order-service has no .golden-path/values.json: it was not created by the Go service template, or by a version that did not record its values. Upgrade it by hand (docs/template-versions.md)',
      );
    } finally {
      s.cleanup();
    }
  });
});

describe('golden-path:upgrade:plan, the template from Gitea (a real git repository)', () => {
  const TEMPLATES = `${FORGE}/platform/templates/src`;
  const skeleton = (main: string) => ({
    'skeleton/services/${{ values.name }}-service/main.go': main,
    'skeleton-async/services/${{ values.name }}-service/outbox.go':
      'package outbox\n',
    'skeleton-jobs/services/${{ values.name }}-service/jobs.go':
      'package jobs\n',
    'skeleton-job/services/${{ values.name }}-service/job.go': 'package job\n',
  });

  /** The forge with go-service 1.0.0 (commit v1), a service that recorded `record(v1 record)`, and a plan run by upgrade-service from the forge. */
  async function gitSetup(record: (r: any) => unknown = r => r) {
    const s = makeSandbox();
    const forge = gitForge(path.join(s.root, 'templates-repo'));
    const v1 = forge.push(
      templateFiles('go-service', '1.0.0', skeleton('package main\n')),
    );
    const versionAction = createTemplateVersionAction({
      reader: forge.reader,
      integrations: forgeIntegrations,
    });
    const made = actionContext(s.workspace, {});
    (made.ctx as any).templateInfo = {
      entityRef: 'template:default/go-service',
      baseUrl: `${TEMPLATES}/branch/main/go-service/template.yaml`,
    };
    await versionAction.handler(made.ctx);
    const recorded = made.outputs.record;
    writeFiles(s.workspace, {
      'before/services/order-service/.golden-path/values.json': JSON.stringify({
        template: 'go-service',
        version: 1,
        templateVersion: record(recorded),
        values,
      }),
    });
    const plan = createUpgradePlanAction({
      settings: testSettings(),
      reader: forge.reader,
      integrations: forgeIntegrations,
    });
    const run = () => {
      const { ctx, outputs } = actionContext(s.workspace, {
        service: 'order-service',
        workingDirectory: 'before',
      });
      (ctx as any).templateInfo = {
        entityRef: 'template:default/upgrade-service',
        baseUrl: `${TEMPLATES}/branch/main/upgrade-service.yaml`,
      };
      return plan.handler(ctx).then(() => outputs);
    };
    return { s, forge, v1, recorded, run };
  }

  it("renders base from the recorded commit and next from the branch, reading only the running template's repository", async () => {
    const { s, forge, v1, recorded, run } = await gitSetup(r => ({
      ...r,
      // The team can edit the file: its URL is never read.
      source: {
        url: 'https://evil.example/steal/src/branch/main',
        commit: r.source.commit,
      },
    }));
    try {
      expect(recorded.source).toEqual({
        url: `${TEMPLATES}/branch/main/go-service`,
        commit: v1,
      });
      expect(await run()).toMatchObject({ upToDate: true });
      const v2 = forge.push(
        templateFiles('go-service', '1.1.0', {
          ...skeleton('package main\n// 1.1\n'),
          'skeleton-rpcs/services/${{ values.name }}-service/rpcs.go':
            'package rpcs\n',
        }),
      );
      const outputs = await run();
      expect(outputs.upToDate).toBe(false);
      expect(outputs.from.source.commit).toBe(v1);
      expect(outputs.to).toMatchObject({
        name: 'go-service',
        version: '1.1.0',
        source: { url: `${TEMPLATES}/branch/main/go-service`, commit: v2 },
      });
      expect(outputs.base.map((r: any) => r.url)).toEqual([
        `${TEMPLATES}/commit/${v1}/go-service/skeleton`,
        `${TEMPLATES}/commit/${v1}/go-service/skeleton-async`,
        `${TEMPLATES}/commit/${v1}/go-service/skeleton-jobs`,
        `${TEMPLATES}/commit/${v1}/go-service/skeleton-job`,
      ]);
      expect(outputs.next[0].url).toBe(
        `${TEMPLATES}/commit/${v2}/go-service/skeleton`,
      );
      expect(outputs.next[0].values.templateVersion).toEqual(outputs.to);
      expect(forge.reads.every(u => u.startsWith(`${TEMPLATES}/`))).toBe(true);
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [
      'a commit that is not 40 hex digits',
      (r: any) => ({ ...r, source: { ...r.source, commit: 'main' } }),
      'services/order-service/.golden-path/values.json records templateVersion.source without a git commit (source.commit must be 40 lowercase hex digits, got "main"); restore the file from the monorepo\'s history, or upgrade by hand (docs/template-versions.md)',
    ],
    [
      'a commit the repository no longer has',
      (r: any) => ({ ...r, source: { ...r.source, commit: 'b'.repeat(40) } }),
      /^the skeletons of go-service 1\.0\.0 \(sha256-[0-9a-f]{12}\) that made services\/order-service cannot be read at commit b{40} \(http:\/\/gitea\.test\/platform\/templates\/src\/commit\/b{40}\/go-service: .*404.*\); the commit is no longer in the template's repository \(force-pushed away, or the repository moved\): upgrade by hand \(docs\/template-versions\.md\)$/,
    ],
    [
      "a revision that is not the commit's",
      (r: any) => ({ ...r, revision: `sha256-${'1'.repeat(64)}` }),
      /^the skeletons of go-service at commit [0-9a-f]{40} are sha256-[0-9a-f]{12}, not the revision sha256-111111111111 that services\/order-service records: its templateVersion was edited, or the commit is of another template; restore \.golden-path\/values\.json from the monorepo's history, or upgrade by hand \(docs\/template-versions\.md\)$/,
    ],
    [
      'a service made from a local template',
      (r: any) => ({ ...r, source: undefined }),
      /^services\/order-service was made by go-service 1\.0\.0 \(sha256-[0-9a-f]{12}\) from a local template directory, whose skeletons are in that directory's \.versions store, not in http:\/\/gitea\.test\/platform\/templates\/src\/branch\/main\/go-service; upgrade it with the upgrade template registered from that directory, or by hand \(docs\/template-versions\.md\)$/,
    ],
  ])('refuses %s in one line', async (_label, record, message) => {
    const { s, forge, run } = await gitSetup(record);
    try {
      forge.push(
        templateFiles('go-service', '1.1.0', skeleton('package v2\n')),
      );
      await expect(run()).rejects.toThrow(message);
    } finally {
      s.cleanup();
    }
  });
});

describe('bad input: a dry run of golden-path:upgrade:plan on a local monorepo', () => {
  // The dry-run API runs a template its caller uploads: its refusals must not
  // tell which files of any monorepo under the root are uncommitted, nor
  // which branches it has.
  it('reveals neither uncommitted files nor branches; the run refuses', async () => {
    const { s, dir } = setup(v => v);
    try {
      fs.appendFileSync(
        path.join(dir, 'skeleton/services/${{ values.name }}-service/main.go'),
        '// 1.1\n',
      );
      const branch = `golden-path/upgrade-order-service-${currentTemplateVersion(
        dir,
      ).revision.slice(7, 19)}`;
      const m = committedLocalMonorepo({ 'go.work': 'go 1.26.0\n' }, 'victim');
      m.git('branch', branch);
      const mono = m.repo;
      writeFiles(mono, { 'layoffs-2027.md': 'secret\n' });
      const local = createUpgradePlanAction({
        settings: testSettings({ localRoots: [m.local] }),
        reader: unusedReader,
        integrations: forgeIntegrations,
      });
      const runLocal = async (isDryRun: boolean) => {
        const { ctx, outputs } = actionContext(s.workspace, {
          service: 'component:default/order-service',
          workingDirectory: 'before',
          localPath: 'victim',
        });
        (ctx as any).isDryRun = isDryRun;
        (ctx as any).templateInfo = {
          baseUrl: pathToFileURL(path.join(s.root, 'templates', 'x.yaml')).href,
        };
        await local.handler(ctx);
        return {
          outputs,
          logged: JSON.stringify((ctx.logger.info as jest.Mock).mock.calls),
        };
      };
      const dry = await runLocal(true);
      expect(dry.outputs.upToDate).toBe(false);
      expect(dry.logged).not.toContain('layoffs');
      expect(dry.logged).toContain('dry run: the git checkout of victim');
      await expect(runLocal(false)).rejects.toThrow(
        'victim (under the local publish root) has uncommitted changes (layoffs-2027.md)',
      );
      fs.rmSync(path.join(mono, 'layoffs-2027.md'));
      await expect(runLocal(false)).rejects.toThrow(
        `branch ${branch} already exists in victim`,
      );
    } finally {
      s.cleanup();
    }
  });
});
