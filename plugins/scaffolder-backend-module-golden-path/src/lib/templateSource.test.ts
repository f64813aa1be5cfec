import path from 'node:path';
import { makeSandbox } from '../__testUtils__/context';
import { FORGE, forgeIntegrations } from '../__testUtils__/forgeIntegrations';
import { gitForge, templateFiles } from '../__testUtils__/gitForge';
import {
  childTemplateUrl,
  pinnedUrl,
  readGitTemplate,
  readGitTemplateAtHead,
  templateLocationOf,
} from './templateSource';

const sha = 'a'.repeat(40);

describe('templateSource', () => {
  it('tells a local template from a GitHub or Gitea one by its location', () => {
    expect(
      templateLocationOf(
        'file:///srv/templates/go-service/template.yaml',
        forgeIntegrations,
      ),
    ).toEqual({ kind: 'local', dir: '/srv/templates/go-service' });
    expect(
      templateLocationOf(
        `${FORGE}/platform/templates/src/branch/main/go-service/template.yaml`,
        forgeIntegrations,
      ),
    ).toEqual({
      kind: 'git',
      type: 'gitea',
      url: `${FORGE}/platform/templates/src/branch/main/go-service`,
    });
    expect(
      templateLocationOf(
        'https://github.com/acme/templates/blob/main/upgrade-service.yaml',
        forgeIntegrations,
      ),
    ).toEqual({
      kind: 'git',
      type: 'github',
      url: 'https://github.com/acme/templates/blob/main',
    });
    for (const other of [
      undefined,
      'https://gitlab.com/acme/templates/-/blob/main/template.yaml',
      'ftp://gitea.test/x/template.yaml',
      'not a url',
    ])
      expect(templateLocationOf(other, forgeIntegrations)).toBeUndefined();
  });

  it("pins a directory's URL to a commit on Gitea and GitHub, and takes nothing but a 40-hex commit", () => {
    expect(
      pinnedUrl(
        `${FORGE}/platform/templates/src/branch/main/go-service`,
        sha,
        forgeIntegrations,
      ),
    ).toBe(`${FORGE}/platform/templates/src/commit/${sha}/go-service`);
    expect(
      pinnedUrl(
        'https://github.com/acme/templates/blob/main/go-service',
        sha,
        forgeIntegrations,
      ),
    ).toBe(`https://github.com/acme/templates/tree/${sha}/go-service`);
    expect(
      pinnedUrl(
        'https://github.com/acme/templates/tree/main',
        sha,
        forgeIntegrations,
      ),
    ).toBe(`https://github.com/acme/templates/tree/${sha}`);
    for (const bad of [
      'main',
      'A'.repeat(40),
      `${sha}/../../other`,
      '../../other-repo/src/branch/main',
      'a'.repeat(39),
      'a'.repeat(64),
    ])
      expect(() =>
        pinnedUrl(
          `${FORGE}/platform/templates/src/branch/main/go-service`,
          bad,
          forgeIntegrations,
        ),
      ).toThrow(/is not a git commit \(40 hex digits\)$/);
    expect(() =>
      pinnedUrl(`${FORGE}/platform/templates`, sha, forgeIntegrations),
    ).toThrow(
      `${FORGE}/platform/templates is not a gitea URL of a directory at a branch (<owner>/<repo>/src/branch/<branch>/<path>); register the template from such a URL`,
    );
  });

  it("names only a template's own subdirectories", () => {
    expect(childTemplateUrl('http://x/a/src/branch/main', './go-service')).toBe(
      'http://x/a/src/branch/main/go-service',
    );
    for (const bad of ['../other', '/etc', '.', './../x', 'a/../../b', ''])
      expect(() => childTemplateUrl('http://x/a', bad)).toThrow(
        /^template: ".*" is not a directory inside the running template's directory; name one relative to it, like \.\/go-service$/,
      );
  });

  it('reads the skeletons at the commit the branch is at, and refuses a read of another commit', async () => {
    const forge = gitForge(path.join(makeSandbox().root, 'templates-repo'));
    const v1 = forge.push(
      templateFiles('go-service', '1.0.0', { 'skeleton/a.txt': 'a\n' }),
    );
    const url = `${FORGE}/platform/templates/src/branch/main/go-service`;
    const head = await readGitTemplateAtHead(
      forge.reader,
      forgeIntegrations,
      url,
    );
    expect(head).toMatchObject({
      commit: v1,
      parts: ['skeleton'],
      metadata: { name: 'go-service', version: '1.0.0' },
      pinned: `${FORGE}/platform/templates/src/commit/${v1}/go-service`,
    });
    expect(head.revision).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(forge.reads).toEqual([url, head.pinned]);
    const v2 = forge.push(
      templateFiles('go-service', '1.1.0', { 'skeleton/a.txt': 'b\n' }),
    );
    const old = await readGitTemplate(forge.reader, head.pinned, {
      commit: v1,
    });
    expect(old.revision).toBe(head.revision);
    await expect(
      readGitTemplate(forge.reader, url, { commit: v1 }),
    ).rejects.toThrow(`${url} was read at ${v2}, not at the commit ${v1}`);
  });
});
