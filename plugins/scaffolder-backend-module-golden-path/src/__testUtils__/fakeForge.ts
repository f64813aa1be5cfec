import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The fake Gitea's base URL (an integrations.gitea entry of `forgeIntegrations`). */
export const FORGE = 'http://gitea.test';

/** Integrations with the fake Gitea and github.com. */
export const forgeIntegrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: { gitea: [{ host: 'gitea.test', baseUrl: FORGE }] },
  }),
);

/**
 * A Gitea repository in memory, read the way Backstage's Gitea UrlReader
 * reads it: readTree(<FORGE>/<owner>/<repo>/src/<kind>/<ref>/<path>) resolves
 * the ref (a branch or a commit sha) to its commit, which is the etag, and
 * extracts the files under <path> that pass the filter. Unknown refs are a
 * NotFoundError, as the forge's 404.
 */
export function fakeForge(repo = 'platform/templates') {
  const commits = new Map<string, Record<string, string>>();
  const branches = new Map<string, string>();
  const reads: string[] = [];
  const push = (files: Record<string, string>, branch = 'main') => {
    const sha = crypto
      .createHash('sha1')
      .update(`${commits.size}\0${JSON.stringify(files)}`)
      .digest('hex');
    commits.set(sha, { ...files });
    branches.set(branch, sha);
    return sha;
  };
  const reader: UrlReaderService = {
    async readUrl() {
      throw new Error('not used');
    },
    async search() {
      throw new Error('not used');
    },
    async readTree(url, options) {
      reads.push(url);
      const prefix = `${FORGE}/${repo}/src/`;
      if (!url.startsWith(prefix)) throw new NotFoundError(`${url}: 404`);
      const [, ref, ...rest] = url.slice(prefix.length).split('/');
      const commit = branches.get(ref) ?? (commits.has(ref) ? ref : undefined);
      if (!commit)
        throw new NotFoundError(
          `${url} could not be read: 404 Not Found (no ref ${ref})`,
        );
      const sub = rest.join('/');
      const files = Object.entries(commits.get(commit)!)
        .filter(([p]) => p.startsWith(`${sub}/`))
        .map(([p, content]) => [p.slice(sub.length + 1), content] as const)
        .filter(([p]) => !options?.filter || options.filter(p, { size: 1 }));
      return {
        etag: commit,
        async dir(o?: { targetDir?: string }) {
          const target = o!.targetDir!;
          for (const [p, content] of files) {
            const to = path.join(target, ...p.split('/'));
            fs.mkdirSync(path.dirname(to), { recursive: true });
            fs.writeFileSync(to, content);
          }
          return target;
        },
        async files() {
          return files.map(([p, content]) => ({
            path: p,
            content: async () => Buffer.from(content),
          }));
        },
        async archive() {
          throw new Error('not used');
        },
      };
    },
  };
  return { reader, push, reads, branches };
}

/** The files of a go-service template directory under `dir` in the repository. */
export function templateFiles(
  dir: string,
  version: string,
  skeleton: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {
    [`${dir}/template.yaml`]: `apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-service\n  annotations:\n    golden-path.dev/template-version: '${version}'\n`,
    'upgrade-service.yaml': 'kind: Template\n',
    'README.md': 'not a skeleton\n',
  };
  for (const [p, content] of Object.entries(skeleton))
    out[`${dir}/${p}`] = content;
  return out;
}
