import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { forgeTreeUrl, resolveForgeRepo } from './forge';
import { giteaMessage } from './giteaApi';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'github.com', token: 't' }],
      gitea: [
        {
          host: 'git.example.com:3000',
          baseUrl: 'http://git.example.com:3000/',
          username: 'bot',
          password: 'p',
        },
      ],
    },
  }),
);

describe('resolveForgeRepo', () => {
  it('finds a Gitea repository with its baseUrl, and its branch URLs under /src/branch', () => {
    const r = resolveForgeRepo(
      integrations,
      'git.example.com:3000?owner=platform&repo=shop',
    );
    expect(r).toEqual({
      kind: 'gitea',
      host: 'git.example.com:3000',
      owner: 'platform',
      repo: 'shop',
      baseUrl: 'http://git.example.com:3000',
    });
    expect(forgeTreeUrl(r, 'main')).toEqual({
      tree: 'http://git.example.com:3000/platform/shop/src/branch/main',
      blob: 'http://git.example.com:3000/platform/shop/src/branch/main',
    });
  });

  it('finds a GitHub repository, its branch under /tree and its files under /blob', () => {
    const r = resolveForgeRepo(integrations, 'github.com?owner=acme&repo=shop');
    expect(r.kind).toBe('github');
    expect(forgeTreeUrl(r, 'dev')).toEqual({
      tree: 'https://github.com/acme/shop/tree/dev',
      blob: 'https://github.com/acme/shop/blob/dev',
    });
  });

  it('refuses a host no integration names, saying where to add it', () => {
    expect(() =>
      resolveForgeRepo(integrations, 'gitlab.example.com?owner=a&repo=b'),
    ).toThrow(
      /host gitlab.example.com is neither a GitHub nor a Gitea integration; add it under integrations.github or integrations.gitea/,
    );
  });
});

describe('giteaMessage', () => {
  it("keeps Gitea's own message, else the body's first line, else the status", () => {
    expect(
      giteaMessage(409, '{"message":"The branch already exists.","url":"x"}'),
    ).toBe('409 The branch already exists.');
    expect(giteaMessage(502, 'Bad gateway\nmore')).toBe('502 Bad gateway');
    expect(giteaMessage(500, '')).toBe('HTTP 500');
    expect(
      giteaMessage(
        500,
        JSON.stringify({
          message:
            'PushRejected Error: exit status 1 - remote: \nremote: error:        \nremote: error: Not allowed to push to protected branch add-x        \nremote: error:        \n ! [remote rejected] 768a14f -> add-x (pre-receive hook declined)',
        }),
      ),
    ).toBe('500 Not allowed to push to protected branch add-x');
  });
});

describe('bad input: repoUrl owner and repo', () => {
  it.each([
    ['owner=..&repo=admin', 'owner ".."'],
    ['owner=platform&repo=..', 'repo ".."'],
    ['owner=%2e%2e&repo=users', 'owner ".."'],
    ['owner=platform%2F..%2Fadmin&repo=shop', 'owner "platform/../admin"'],
    ['owner=platform&repo=shop%3Fx%3D1', 'repo "shop?x=1"'],
    ['owner=platform&repo=sh%23op', 'repo "sh#op"'],
  ])('refuses %s before any URL is made of it', (query, named) => {
    expect(() =>
      resolveForgeRepo(integrations, `git.example.com:3000?${query}`),
    ).toThrow(named);
  });
});

describe('bad input: the branch of a forge URL', () => {
  const repo = resolveForgeRepo(
    integrations,
    'github.com?owner=acme&repo=shop',
  );
  it.each([
    '../../../victim/private/tree/main',
    '%2e%2e/%2e%2e/victim',
    'main?raw=1',
    'main#x',
    '/main',
  ])('refuses %s before a URL is made of it', branch => {
    expect(() => forgeTreeUrl(repo, branch)).toThrow('is not a branch name');
  });

  it('takes a branch with slashes', () => {
    expect(forgeTreeUrl(repo, 'release/1.2').tree).toBe(
      'https://github.com/acme/shop/tree/release/1.2',
    );
  });
});
