import { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeFiles } from './context';
import { FORGE } from './forgeIntegrations';
import { teamGit } from './git';

/**
 * Backstage's UrlReaderService reading the real git repository at `dir` (made
 * if missing) as `<FORGE>/<repo>`, the way its Gitea reader reads a
 * repository: readTree(<FORGE>/<owner>/<repo>/src/<kind>/<ref>/<path>)
 * resolves the ref (a branch or a commit) with git to its commit, which is
 * the etag, and extracts the files of <path> at that commit that pass the
 * filter. A ref the repository does not have is a NotFoundError, as Gitea's
 * 404. Only the reader is stood in: the real Gitea is exercised in
 * e2e/template-source.test.mjs. `commit` commits the working copy as the
 * platform team and returns the commit id; `push(files)` makes `files` the
 * whole working copy and commits it.
 */
export function gitForge(dir: string, repo = 'platform/templates') {
  fs.mkdirSync(dir, { recursive: true });
  const git = teamGit(dir);
  if (!fs.existsSync(path.join(dir, '.git'))) git('init', '-q', '-b', 'main');
  const reads: string[] = [];
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD').trim();
  };
  const push = (files: Record<string, string>, message = 'push') => {
    for (const entry of fs.readdirSync(dir))
      if (entry !== '.git')
        fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    writeFiles(dir, files);
    return commit(message);
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
      let sha: string;
      try {
        sha = git('rev-parse', '--verify', '-q', `${ref}^{commit}`).trim();
      } catch {
        throw new NotFoundError(
          `${url} could not be read: 404 Not Found (no ref ${ref})`,
        );
      }
      const sub = rest.join('/');
      const listed = git(
        'ls-tree',
        '-r',
        '-z',
        '--name-only',
        sha,
        '--',
        `${sub}/`,
      )
        .split('\0')
        .filter(Boolean)
        .map(p => p.slice(sub.length + 1))
        .filter(p => !options?.filter || options.filter(p, { size: 1 }));
      return {
        etag: sha,
        async dir(o?: { targetDir?: string }) {
          const target = o!.targetDir!;
          for (const p of listed) {
            const to = path.join(target, ...p.split('/'));
            fs.mkdirSync(path.dirname(to), { recursive: true });
            fs.writeFileSync(
              to,
              execFileSync('git', ['show', `${sha}:${sub}/${p}`], {
                cwd: dir,
              }),
            );
          }
          return target;
        },
        async files() {
          throw new Error('not used');
        },
        async archive() {
          throw new Error('not used');
        },
      };
    },
  };
  return { reader, commit, push, reads, git };
}

/** The files of a go-service template directory under `dir` in the repository, beside its upgrade template. */
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
