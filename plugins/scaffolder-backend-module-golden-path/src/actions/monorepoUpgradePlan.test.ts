import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import {
  actionContext,
  makeSandbox,
  testSettings,
  writeFiles,
} from '../__testUtils__/context';
import { monorepoScope } from '../lib/monorepoRenders';
import {
  currentTemplateVersion,
  skeletonParts,
  snapshotDir,
  storeSnapshot,
} from '../lib/templateVersions';
import { FORGE, forgeIntegrations } from '../__testUtils__/forgeIntegrations';
import { gitForge } from '../__testUtils__/gitForge';
import { committedLocalMonorepo } from '../__testUtils__/localMonorepo';
import { createTemplateVersionAction } from './templateVersion';
import { createMonorepoUpgradePlanAction } from './monorepoUpgradePlan';

/** The reader and integrations of a plan whose templates are local (the reader is never asked). */
const noForge = {
  reader: mockServices.urlReader.mock(),
  integrations: forgeIntegrations,
};

const values = {
  projectName: 'shop',
  pkgModule: 'github.com/acme/go-pkg',
  goVersion: '1.26',
  stage: 'async',
  owner: 'group:default/platform-team',
  system: 'shop',
  existingSystem: '',
  servicesLocation: true,
  imageRepository: 'localhost:5000/shop',
};

/** templates/ with go-monorepo (two skeleton parts), and a checkout of the monorepo that recorded `record(v1)`. */
const action = createMonorepoUpgradePlanAction({
  settings: testSettings(),
  ...noForge,
});

function setup(
  record: (v: ReturnType<typeof currentTemplateVersion>) => unknown = v => v,
  doc: (d: Record<string, unknown>) => unknown = d => d,
) {
  const s = makeSandbox();
  const templates = path.join(s.root, 'templates');
  const dir = path.join(templates, 'go-monorepo');
  writeFiles(dir, {
    'template.yaml':
      "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-monorepo\n  annotations:\n    golden-path.dev/template-version: '1.0.0'\n",
    'skeleton/go.work': 'go ${{ values.goVersion }}.0\n',
    'skeleton/.github/workflows/ci.yml': 'name: ci\n',
    'skeleton/services/README.md': '# services\n',
    'skeleton/pkg/config/config.go': 'package config\n',
    'skeleton-async/pkg/outbox/outbox.go': 'package outbox\n',
  });
  const v1 = currentTemplateVersion(dir);
  storeSnapshot(dir, v1.revision);
  writeFiles(s.workspace, {
    'before/.golden-path/values.json': JSON.stringify(
      doc({
        template: 'go-monorepo',
        version: 1,
        templateVersion: record(v1),
        values,
      }),
    ),
    'before/services/order-service/.golden-path/values.json': '{}',
  });
  const run = (input: Record<string, unknown> = {}) => {
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'before',
      ...input,
    });
    (ctx as any).templateInfo = {
      entityRef: 'template:default/upgrade-monorepo',
      baseUrl: pathToFileURL(path.join(templates, 'upgrade-monorepo.yaml'))
        .href,
    };
    return action.handler(ctx).then(() => outputs);
  };
  return { s, dir, v1, run };
}

describe('golden-path:monorepo:upgrade-plan', () => {
  it("renders the recorded revision from the store (base) and the current skeletons (next), scoped to the monorepo's shared paths", async () => {
    const { s, dir, v1, run } = setup();
    try {
      expect(await run()).toMatchObject({
        upToDate: true,
        from: v1,
        to: v1,
        projectName: 'shop',
      });
      // The platform team changes the skeletons: a new top-level file, an edit.
      writeFiles(dir, {
        'skeleton/.editorconfig': 'root = true\n',
        'skeleton/go.work': 'go ${{ values.goVersion }}.0\n// 1.1\n',
      });
      const outputs = await run();
      const to = currentTemplateVersion(dir);
      const base = `./go-monorepo/.versions/${v1.revision}`;
      expect(outputs.upToDate).toBe(false);
      expect(outputs.branchName).toBe(
        `golden-path/upgrade-monorepo-${to.revision.slice(7, 19)}`,
      );
      expect(outputs.base.map((r: any) => r.url)).toEqual([
        `${base}/skeleton`,
        `${base}/skeleton-async`,
      ]);
      expect(outputs.base[0].values).toEqual({
        ...values,
        templateVersion: v1,
      });
      expect(outputs.base[1].values).toEqual({
        pkgModule: values.pkgModule,
        goVersion: '1.26',
        stage: 'async',
      });
      expect(outputs.next.map((r: any) => r.url)).toEqual([
        './go-monorepo/skeleton',
        './go-monorepo/skeleton-async',
      ]);
      expect(outputs.next[0].values.templateVersion).toEqual(to);
      // Never a service: of services/ only the template's own README.
      expect(outputs.paths).toEqual([
        '.editorconfig',
        '.github',
        'go.work',
        'pkg',
        'services/README.md',
      ]);
      expect(fs.existsSync(snapshotDir(dir, to.revision))).toBe(true);
    } finally {
      s.cleanup();
    }
  });

  it('leaves the async part out of an MVP monorepo', async () => {
    const { s, run } = setup(undefined, d => ({
      ...d,
      values: { ...values, stage: 'mvp' },
    }));
    try {
      const outputs = await run();
      expect(outputs.next.map((r: any) => r.url)).toEqual([
        './go-monorepo/skeleton',
      ]);
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [
      'no recorded template version',
      () => undefined,
      undefined,
      '.golden-path/values.json records no template version (templateVersion: name, version, revision): the monorepo was made before template versions were recorded, so the skeleton it was made from is unknown; upgrade it by hand (docs/template-versions.md)',
    ],
    [
      'a version recorded without a revision',
      (v: any) => ({ ...v, revision: '' }),
      undefined,
      '.golden-path/values.json records go-monorepo 1.0.0 without a skeleton revision (the template was not read from a local directory), so the skeleton it was made from cannot be retrieved; upgrade it by hand (docs/template-versions.md)',
    ],
    [
      'another template',
      (v: any) => ({ ...v, name: 'rust-monorepo' }),
      undefined,
      "the monorepo was made by the template rust-monorepo, not go-monorepo: upgrade it with that template's upgrade",
    ],
    [
      'a revision no longer stored',
      (v: any) => ({ ...v, revision: `sha256-${'0'.repeat(64)}` }),
      undefined,
      `the skeletons of go-monorepo 1.0.0 (sha256-000000000000) that made the monorepo can no longer be retrieved: go-monorepo/.versions/sha256-${'0'.repeat(
        64,
      )} is missing or altered; restore it from a backup of the template's store, or upgrade by hand (docs/template-versions.md)`,
    ],
    [
      "a service's record",
      undefined,
      (d: any) => ({ ...d, template: 'go-service' }),
      '.golden-path/values.json records the template "go-service", not go-monorepo: it is not a Go monorepo\'s record; upgrade it by hand (docs/template-versions.md)',
    ],
    [
      'hostile values',
      undefined,
      (d: any) => ({ ...d, values: { ...values, pkgModule: 'x/../../etc' } }),
      /^\.golden-path\/values\.json: .*pkgModule/,
    ],
    [
      'a value over several lines',
      undefined,
      (d: any) => ({ ...d, values: { ...values, owner: 'a\nb' } }),
      ".golden-path/values.json: values.owner must be a line of text; restore it from the monorepo's history",
    ],
  ])('refuses %s in one line', async (_label, record, doc, message) => {
    const { s, run } = setup(record as any, doc as any);
    try {
      await expect(run()).rejects.toThrow(message);
    } finally {
      s.cleanup();
    }
  });

  it('refuses a monorepo without recorded values, or with a record that is not JSON', async () => {
    const { s, run } = setup();
    try {
      const file = path.join(s.workspace, 'before/.golden-path/values.json');
      fs.writeFileSync(file, '{');
      await expect(run()).rejects.toThrow(
        /^\.golden-path\/values\.json is not JSON \(.+\); restore it from the monorepo's history$/,
      );
      fs.rmSync(path.dirname(file), { recursive: true });
      await expect(run()).rejects.toThrow(
        'the monorepo has no .golden-path/values.json at its root: it was made before the Go monorepo template recorded its values (or not by that template), so what it was made from is unknown; upgrade it by hand (docs/template-versions.md)',
      );
    } finally {
      s.cleanup();
    }
  });

  it('refuses a symlinked .golden-path in one line instead of following it', async () => {
    const { s, run } = setup();
    try {
      const dir = path.join(s.workspace, 'before/.golden-path');
      fs.renameSync(dir, path.join(s.outside, 'gp'));
      fs.symlinkSync(path.join(s.outside, 'gp'), dir);
      await expect(run()).rejects.toThrow(/symlink/);
    } finally {
      s.cleanup();
    }
  });

  it('refuses a local monorepo with uncommitted changes in one line', async () => {
    const { s, run } = setup();
    const m = committedLocalMonorepo({ 'go.work': 'go 1.26.0\n' });
    fs.appendFileSync(path.join(m.repo, 'go.work'), '// edit\n');
    const local = createMonorepoUpgradePlanAction({
      settings: testSettings({ localRoots: [m.local] }),
      ...noForge,
    });
    try {
      const { ctx } = actionContext(s.workspace, {
        workingDirectory: 'before',
        localPath: 'shop',
      });
      (ctx as any).templateInfo = {
        baseUrl: pathToFileURL(
          path.join(s.root, 'templates', 'upgrade-monorepo.yaml'),
        ).href,
      };
      await expect(local.handler(ctx)).rejects.toThrow(/uncommitted/);
      expect(run).toBeDefined();
    } finally {
      s.cleanup();
    }
  });

  it("checks out, in templates/upgrade-monorepo.yaml, exactly the paths the repository's Go monorepo template renders", () => {
    const templates = path.resolve(__dirname, '../../../../templates');
    const doc = parse(
      fs.readFileSync(path.join(templates, 'upgrade-monorepo.yaml'), 'utf8'),
    );
    const checkout = doc.spec.steps.find(
      (st: any) => st.id === 'checkout-local',
    );
    const dir = path.join(templates, 'go-monorepo');
    expect([...checkout.input.paths].sort()).toEqual(
      monorepoScope(skeletonParts(dir).map(p => path.join(dir, p))),
    );
    expect(checkout.input.skipMissing).toBe(true);
  });
});

describe('bad input: a dry run of golden-path:monorepo:upgrade-plan on a local monorepo', () => {
  it('does not name the uncommitted files of the monorepo at localPath', async () => {
    const { s } = setup();
    const m = committedLocalMonorepo({ 'go.work': 'go 1.26.0\n' }, 'victim');
    writeFiles(m.repo, { 'acquisition-target.md': 'secret\n' });
    const local = createMonorepoUpgradePlanAction({
      settings: testSettings({ localRoots: [m.local] }),
      ...noForge,
    });
    const runLocal = async (isDryRun: boolean) => {
      const { ctx, outputs } = actionContext(s.workspace, {
        workingDirectory: 'before',
        localPath: 'victim',
      });
      (ctx as any).isDryRun = isDryRun;
      (ctx as any).templateInfo = {
        baseUrl: pathToFileURL(
          path.join(s.root, 'templates', 'upgrade-monorepo.yaml'),
        ).href,
      };
      await local.handler(ctx);
      return {
        outputs,
        logged: JSON.stringify((ctx.logger.info as jest.Mock).mock.calls),
      };
    };
    try {
      const dry = await runLocal(true);
      expect(dry.outputs.projectName).toBe('shop');
      expect(dry.logged).not.toContain('acquisition');
      await expect(runLocal(false)).rejects.toThrow(
        'victim (under the local publish root) has uncommitted changes (acquisition-target.md)',
      );
    } finally {
      s.cleanup();
    }
  });
});

describe('golden-path:monorepo:upgrade-plan, the template from Gitea (a real git repository)', () => {
  const TEMPLATES = `${FORGE}/platform/templates/src`;
  /** The repository's files: go-monorepo (template.yaml, skeletons) and the upgrade template beside it. */
  const repoFiles = (version: string, skeleton: Record<string, string>) => {
    const out: Record<string, string> = {
      'go-monorepo/template.yaml': `apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-monorepo\n  annotations:\n    golden-path.dev/template-version: '${version}'\n`,
      'upgrade-monorepo.yaml': 'kind: Template\n',
      'README.md': 'not a skeleton\n',
    };
    for (const [p, content] of Object.entries(skeleton))
      out[`go-monorepo/${p}`] = content;
    return out;
  };
  const v1Skeleton = {
    'skeleton/go.work': 'go ${{ values.goVersion }}.0\n',
    'skeleton/services/README.md': '# services\n',
    'skeleton/pkg/config/config.go': 'package config\n',
    'skeleton/Makefile': 'all:\n',
    'skeleton-async/pkg/outbox/outbox.go': 'package outbox\n',
  };

  /**
   * The templates repository (real git, read through Backstage's
   * UrlReaderService as from Gitea) with go-monorepo 1.0.0 committed (v1), a
   * monorepo that recorded `record(what go-monorepo recorded)`, and a plan run
   * by upgrade-monorepo from the forge; `push` commits the next version of the
   * template.
   */
  async function gitSetup(record: (r: any) => unknown = r => r) {
    const s = makeSandbox();
    const forge = gitForge(path.join(s.root, 'templates-repo'));
    const v1 = forge.push(repoFiles('1.0.0', v1Skeleton));
    // What the go-monorepo template records when it runs from the forge.
    const made = actionContext(s.workspace, {});
    (made.ctx as any).templateInfo = {
      entityRef: 'template:default/go-monorepo',
      baseUrl: `${TEMPLATES}/branch/main/go-monorepo/template.yaml`,
    };
    await createTemplateVersionAction({
      reader: forge.reader,
      integrations: forgeIntegrations,
    }).handler(made.ctx);
    const recorded = made.outputs.record;
    writeFiles(s.workspace, {
      'before/.golden-path/values.json': JSON.stringify({
        template: 'go-monorepo',
        version: 1,
        templateVersion: record(recorded),
        values,
      }),
    });
    const plan = createMonorepoUpgradePlanAction({
      settings: testSettings(),
      reader: forge.reader,
      integrations: forgeIntegrations,
    });
    const run = () => {
      const { ctx, outputs } = actionContext(s.workspace, {
        workingDirectory: 'before',
      });
      (ctx as any).templateInfo = {
        entityRef: 'template:default/upgrade-monorepo',
        baseUrl: `${TEMPLATES}/branch/main/upgrade-monorepo.yaml`,
      };
      return plan.handler(ctx).then(() => outputs);
    };
    return { s, forge, push: forge.push, v1, recorded, run };
  }

  it("renders base from the recorded commit and next from the branch, scoped to both commits' shared paths, reading only the running template's repository", async () => {
    const { s, forge, push, v1, recorded, run } = await gitSetup(r => ({
      ...r,
      // The team can edit the file: its URL is never read.
      source: {
        url: 'https://evil.example/steal/src/branch/main',
        commit: r.source.commit,
      },
    }));
    try {
      expect(recorded.source).toEqual({
        url: `${TEMPLATES}/branch/main/go-monorepo`,
        commit: v1,
      });
      expect(await run()).toMatchObject({
        upToDate: true,
        projectName: 'shop',
      });
      // 1.1.0: a new top-level file, an edited one, the Makefile removed.
      const { 'skeleton/Makefile': _gone, ...kept } = v1Skeleton;
      const v2 = push(
        repoFiles('1.1.0', {
          ...kept,
          'skeleton/go.work': 'go ${{ values.goVersion }}.0\n// 1.1\n',
          'skeleton/.editorconfig': 'root = true\n',
        }),
      );
      const outputs = await run();
      expect(outputs.upToDate).toBe(false);
      expect(outputs.from.source.commit).toBe(v1);
      expect(outputs.to).toMatchObject({
        name: 'go-monorepo',
        version: '1.1.0',
        source: { url: `${TEMPLATES}/branch/main/go-monorepo`, commit: v2 },
      });
      expect(outputs.branchName).toBe(
        `golden-path/upgrade-monorepo-${outputs.to.revision.slice(7, 19)}`,
      );
      expect(outputs.base.map((r: any) => r.url)).toEqual([
        `${TEMPLATES}/commit/${v1}/go-monorepo/skeleton`,
        `${TEMPLATES}/commit/${v1}/go-monorepo/skeleton-async`,
      ]);
      expect(outputs.base[0].values.templateVersion.source.commit).toBe(v1);
      expect(outputs.next.map((r: any) => r.url)).toEqual([
        `${TEMPLATES}/commit/${v2}/go-monorepo/skeleton`,
        `${TEMPLATES}/commit/${v2}/go-monorepo/skeleton-async`,
      ]);
      expect(outputs.next[0].values.templateVersion).toEqual(outputs.to);
      // The removed Makefile is in scope (base has it), so is the new file; never a service.
      expect(outputs.paths).toEqual([
        '.editorconfig',
        'Makefile',
        'go.work',
        'pkg',
        'services/README.md',
      ]);
      expect(forge.reads.every(u => u.startsWith(`${TEMPLATES}/`))).toBe(true);
      expect(forge.reads.some(u => u.includes('evil'))).toBe(false);
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [
      'a commit that is not 40 hex digits',
      (r: any) => ({ ...r, source: { ...r.source, commit: 'main' } }),
      '.golden-path/values.json records templateVersion.source without a git commit (source.commit must be 40 lowercase hex digits, got "main"); restore the file from the monorepo\'s history, or upgrade by hand (docs/template-versions.md)',
    ],
    [
      'a commit the repository no longer has',
      (r: any) => ({ ...r, source: { ...r.source, commit: 'b'.repeat(40) } }),
      /^the skeletons of go-monorepo 1\.0\.0 \(sha256-[0-9a-f]{12}\) that made the monorepo cannot be read at commit b{40} \(http:\/\/gitea\.test\/platform\/templates\/src\/commit\/b{40}\/go-monorepo: .*404.*\); the commit is no longer in the template's repository \(force-pushed away, or the repository moved\): upgrade by hand \(docs\/template-versions\.md\)$/,
    ],
    [
      "a revision that is not the commit's",
      (r: any) => ({ ...r, revision: `sha256-${'1'.repeat(64)}` }),
      /^the skeletons of go-monorepo at commit [0-9a-f]{40} are sha256-[0-9a-f]{12}, not the revision sha256-111111111111 that the monorepo records: its templateVersion was edited, or the commit is of another template; restore \.golden-path\/values\.json from the monorepo's history, or upgrade by hand \(docs\/template-versions\.md\)$/,
    ],
    [
      'a monorepo made from a local template',
      (r: any) => ({ ...r, source: undefined }),
      /^the monorepo was made by go-monorepo 1\.0\.0 \(sha256-[0-9a-f]{12}\) from a local template directory, whose skeletons are in that directory's \.versions store, not in http:\/\/gitea\.test\/platform\/templates\/src\/branch\/main\/go-monorepo; upgrade it with the upgrade template registered from that directory, or by hand \(docs\/template-versions\.md\)$/,
    ],
    [
      'another template',
      (r: any) => ({ ...r, name: 'rust-monorepo' }),
      "the monorepo was made by the template rust-monorepo, not go-monorepo: upgrade it with that template's upgrade",
    ],
  ])('refuses %s in one line', async (_label, record, message) => {
    const { s, push, run } = await gitSetup(record);
    try {
      push(repoFiles('1.1.0', { ...v1Skeleton, 'skeleton/go.work': 'go 2\n' }));
      await expect(run()).rejects.toThrow(message);
    } finally {
      s.cleanup();
    }
  });
});
