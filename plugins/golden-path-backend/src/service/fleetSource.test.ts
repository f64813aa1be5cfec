import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import {
  MAX_VALUES_BYTES,
  readAtMost,
  readDeadline,
  readFleetSourceFacts,
} from './fleetSource';

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

describe('bad input: a huge or endless values.json', () => {
  const url = {
    type: 'url' as const,
    target: 'https://github.com/acme/shop/tree/main/',
  };

  it('reads an endless url: file only up to the limit, aborts the request, and says so in one line', async () => {
    let pulled = 0;
    let signal: AbortSignal | undefined;
    const endless = new Readable({
      read() {
        pulled += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024, 0x20));
      },
    });
    const reader = mockServices.urlReader.mock({
      readUrl: jest.fn(
        async (_url: string, options?: { signal?: AbortSignal }) => {
          signal = options?.signal;
          return {
            buffer: async () => {
              throw new Error('buffer() read the whole endless file');
            },
            stream: () => endless,
          };
        },
      ),
    });
    const facts = await readFleetSourceFacts({
      location: url,
      serviceDir: 'services/x-service',
      urlReader: reader,
      localRoots: [],
    });
    expect(facts.template).toBeUndefined();
    expect(facts.templateProblem).toBe(
      `services/x-service/.golden-path/values.json (https://github.com/acme/shop/tree/main/services/x-service/.golden-path/values.json) is larger than ${MAX_VALUES_BYTES} bytes (256 KiB), the most read of it: the template writes a few kilobytes there; restore the file the template rendered`,
    );
    // the limit and what the stream had buffered ahead, not more
    expect(pulled).toBeLessThanOrEqual(
      MAX_VALUES_BYTES + 2 * 64 * 1024 + 16 * 1024,
    );
    expect(endless.destroyed).toBe(true);
    expect(signal?.aborted).toBe(true);
  });

  it('frees the source of a piped body (a Gerrit-style reader) without an unhandled error', () => {
    // In a child process: the unhandled error of the source, aborted with
    // its request, is an uncaught exception there (jest would swallow it).
    const script = `
      const { Readable, PassThrough } = require('node:stream');
      const { readAtMost } = require(${JSON.stringify(
        require.resolve('./fleetSource'),
      )});
      process.on('uncaughtException', e => { console.log('uncaught: ' + e.message); process.exit(1); });
      const abort = new AbortController();
      async function* body() {
        for (;;) {
          if (abort.signal.aborted) throw new Error('The user aborted a request.');
          yield Buffer.alloc(64 * 1024, 0x20);
          await new Promise(r => setImmediate(r));
        }
      }
      const source = Readable.from(body());
      readAtMost({ buffer: async () => Buffer.alloc(0), stream: () => source.pipe(new PassThrough()) }, 256 * 1024, abort)
        .then(b => setTimeout(() => console.log('over the limit: ' + (b === undefined) + ', source destroyed: ' + source.destroyed), 200));
    `;
    const r = spawnSync(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        '-e',
        script,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(r.stdout.trim()).toBe(
      'over the limit: true, source destroyed: true',
    );
    expect(r.status).toBe(0);
  });

  it('gives up on a body that stalls, in one line, and aborts its request', async () => {
    const abort = new AbortController();
    const stalled = new Readable({ read() {} });
    stalled.push('{');
    await expect(
      readAtMost(
        { buffer: async () => Buffer.alloc(0), stream: () => stalled },
        MAX_VALUES_BYTES,
        abort,
        readDeadline(200),
      ),
    ).rejects.toThrow('the answer did not end within 200 ms');
    expect(abort.signal.aborted).toBe(true);
    expect(stalled.destroyed).toBe(true);
  });

  it('reads a file of exactly the limit (the control)', async () => {
    const text = values('2.0.0');
    const body = Buffer.concat([
      Buffer.from(text),
      Buffer.alloc(MAX_VALUES_BYTES - text.length, 0x20),
    ]);
    const facts = await readFleetSourceFacts({
      location: url,
      serviceDir: 'services/x-service',
      urlReader: mockServices.urlReader.mock({
        readUrl: async () => ({
          buffer: async () => body,
          stream: () =>
            Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
        }),
      }),
      localRoots: [],
    });
    expect(facts.templateProblem).toBeUndefined();
    expect(facts.template?.version).toBe('2.0.0');
  });

  it('checks the size of a reader without stream() too', async () => {
    const facts = await readFleetSourceFacts({
      location: url,
      serviceDir: '',
      urlReader: mockServices.urlReader.mock({
        readUrl: async () => ({
          buffer: async () => Buffer.alloc(MAX_VALUES_BYTES + 1, 0x20),
        }),
      }),
      localRoots: [],
    });
    expect(facts.templateProblem).toMatch(
      /^\.golden-path\/values\.json \(.*\) is larger than 262144 bytes \(256 KiB\)/,
    );
  });

  it('refuses a local file over the limit in the same line', async () => {
    const root = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'gp-fleet-values-')),
    );
    try {
      fs.mkdirSync(path.join(root, 'shop/svc/.golden-path'), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(root, 'shop/svc/.golden-path/values.json'),
        Buffer.alloc(MAX_VALUES_BYTES + 1, 0x20),
      );
      const facts = await readFleetSourceFacts({
        location: { type: 'dir', target: path.join(root, 'shop') },
        serviceDir: 'svc',
        urlReader: mockServices.urlReader.mock(),
        localRoots: [root],
      });
      expect(facts.templateProblem).toBe(
        `svc/.golden-path/values.json is larger than ${MAX_VALUES_BYTES} bytes (256 KiB), the most read of it: the template writes a few kilobytes there; restore the file the template rendered`,
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
