import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFleetSourceFacts } from './fleetSource';

/*
 * The fleet reads a service's recorded template version from where the
 * provenance rule allowed (the entity's repository); the service directory
 * is the entity author's annotation and must not lead out of it.
 */
const values = (version: string) =>
  JSON.stringify({
    template: 'go-service',
    templateVersion: { name: 'go-service', version, revision: 'sha256-x' },
  });

describe('bad input: the fleet reading a service directory', () => {
  let root: string;
  beforeAll(() => {
    root = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'gp-fleet-source-')),
    );
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write(
      'shop/services/own-service/.golden-path/values.json',
      values('1.0.0'),
    );
    write(
      'vault/services/secret-service/.golden-path/values.json',
      values('9.9.9'),
    );
    fs.mkdirSync(path.join(root, 'vault/.git/refs/heads/golden-path'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(
        root,
        'vault/.git/refs/heads/golden-path/upgrade-x-service-0123456789ab',
      ),
      '0'.repeat(40),
    );
    // shop's x-service is a link into the vault monorepo, and so is its .git.
    fs.symlinkSync(
      path.join(root, 'vault/services/secret-service'),
      path.join(root, 'shop/services/x-service'),
    );
    fs.symlinkSync(path.join(root, 'vault/.git'), path.join(root, 'shop/.git'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const urlReader = () =>
    mockServices.urlReader.mock({
      readUrl: jest.fn(async () => {
        throw Object.assign(new Error('not found'), { name: 'NotFoundError' });
      }),
    });

  it('reads its own values (the control)', async () => {
    const facts = await readFleetSourceFacts({
      location: { type: 'dir', target: path.join(root, 'shop') },
      serviceDir: 'services/own-service',
      urlReader: urlReader(),
      localRoots: [root],
    });
    expect(facts.template?.version).toBe('1.0.0');
  });

  it('refuses a symlinked service directory into another monorepo, and lists no branch of it', async () => {
    const facts = await readFleetSourceFacts({
      location: { type: 'dir', target: path.join(root, 'shop') },
      serviceDir: 'services/x-service',
      urlReader: urlReader(),
      localRoots: [root],
    });
    expect(facts.template).toBeUndefined();
    expect(facts.templateProblem).toContain(
      'goes through a symlink (services/x-service)',
    );
    expect(facts.upgradeBranches).toEqual([]);
  });

  // Before: .git itself was checked with lstat, but its refs directory and
  // packed-refs were read following links, into another repository.
  it('lists no branch of another repository through links inside a real .git', async () => {
    const shop2 = path.join(root, 'shop2');
    fs.mkdirSync(path.join(shop2, 'services/x-service/.golden-path'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(shop2, 'services/x-service/.golden-path/values.json'),
      values('1.0.0'),
    );
    fs.mkdirSync(path.join(shop2, '.git/refs/heads'), { recursive: true });
    fs.symlinkSync(
      path.join(root, 'vault/.git/refs/heads/golden-path'),
      path.join(shop2, '.git/refs/heads/golden-path'),
    );
    fs.writeFileSync(
      path.join(root, 'vault-packed-refs'),
      `${'1'.repeat(
        40,
      )} refs/heads/golden-path/upgrade-x-service-ba9876543210\n`,
    );
    fs.symlinkSync(
      path.join(root, 'vault-packed-refs'),
      path.join(shop2, '.git/packed-refs'),
    );
    const facts = await readFleetSourceFacts({
      location: { type: 'dir', target: shop2 },
      serviceDir: 'services/x-service',
      urlReader: urlReader(),
      localRoots: [root],
    });
    expect(facts.template?.version).toBe('1.0.0');
    expect(facts.upgradeBranches).toEqual([]);
  });

  it('reads a url: source only inside its repository, whatever %2e%2e the service directory holds', async () => {
    const reader = urlReader();
    await readFleetSourceFacts({
      location: {
        type: 'url',
        target: 'https://github.com/acme/shop/tree/main/',
      },
      serviceDir:
        '%2e%2e/%2e%2e/%2e%2e/%2E%2E/victim/private/tree/main/services/x',
      urlReader: reader,
      localRoots: [],
    });
    expect(reader.readUrl).toHaveBeenCalledTimes(1);
    const url = (reader.readUrl as jest.Mock).mock.calls[0][0] as string;
    expect(url.startsWith('https://github.com/acme/shop/tree/main/')).toBe(
      true,
    );
    // resolved once more by whoever reads it, still inside
    expect(new URL(url).pathname.startsWith('/acme/shop/tree/main/')).toBe(
      true,
    );
  });
});
