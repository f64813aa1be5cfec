import { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FORGE } from './fakeForge';
import { teamGit } from './git';

/**
 * A real git repository served the way Backstage's Gitea UrlReader reads a
 * repository: readTree(<FORGE>/<owner>/<repo>/src/<kind>/<ref>/<path>)
 * resolves the ref (a branch or a commit) with git to its commit, which is
 * the etag, and extracts the files of <path> at that commit (git archive)
 * that pass the filter. A ref the repository does not have is a
 * NotFoundError, as the forge's 404. `commit` commits the working copy as the
 * platform team and returns the commit id.
 */
export function gitForge(dir: string, repo = 'platform/templates') {
  const git = teamGit(dir);
  if (!fs.existsSync(path.join(dir, '.git'))) git('init', '-q', '-b', 'main');
  const reads: string[] = [];
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD').trim();
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
  return { reader, commit, reads, git };
}
