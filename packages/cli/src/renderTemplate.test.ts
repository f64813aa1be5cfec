import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderTemplate, RenderError } from './renderTemplate';

function templateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-cli-'));
  fs.writeFileSync(
    path.join(dir, 'template.yaml'),
    [
      'apiVersion: scaffolder.backstage.io/v1beta3',
      'kind: Template',
      'metadata: { name: t }',
      'spec:',
      '  parameters:',
      '    - properties:',
      '        name: { type: string, pattern: "^[a-z]+$", "ui:help": "Lowercase letters." }',
      '  steps: []',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(dir, 'skeleton'));
  fs.writeFileSync(
    path.join(dir, 'skeleton', 'README.md'),
    '# ${{ values.name }}',
  );
  fs.mkdirSync(path.join(dir, 'values'));
  fs.writeFileSync(path.join(dir, 'values', 'a.json'), '{}');
  return dir;
}

function respond(status: number, body: unknown): typeof fetch {
  return jest.fn(
    async () => new Response(JSON.stringify(body), { status }),
  ) as unknown as typeof fetch;
}

const okBody = {
  log: [
    { body: { message: 'Beginning step Fetch', stepId: 'fetch' } },
    { body: { message: 'done', stepId: 'fetch', status: 'completed' } },
  ],
  steps: [{ id: 'fetch', name: 'Fetch', action: 'fetch:template' }],
  output: { ok: true },
  directoryContents: [
    {
      path: 'README.md',
      base64Content: Buffer.from('# shop').toString('base64'),
    },
  ],
};

describe('renderTemplate', () => {
  it('posts the template and its files (without dev/ and values/) and writes the result', async () => {
    const dir = templateDir();
    const out = path.join(dir, 'out');
    const fetchImpl = respond(200, okBody);
    const result = await renderTemplate({
      templateDir: dir,
      values: { name: 'shop' },
      backendUrl: 'http://backend/',
      token: 'tok',
      outDir: out,
      fetchImpl,
    });
    const [url, init] = (fetchImpl as jest.Mock).mock.calls[0];
    expect(url).toBe('http://backend/api/scaffolder/v2/dry-run');
    expect(init.headers.Authorization).toBe('Bearer tok');
    const sent = JSON.parse(init.body);
    expect(sent.directoryContents.map((f: any) => f.path)).toEqual([
      'skeleton/README.md',
      'template.yaml',
    ]);
    expect(result.steps).toEqual([
      expect.objectContaining({
        id: 'fetch',
        status: 'completed',
        log: ['Beginning step Fetch'],
      }),
    ]);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('# shop');
  });

  it('refuses a non-empty output directory unless forced', async () => {
    const dir = templateDir();
    await expect(
      renderTemplate({
        templateDir: dir,
        values: {},
        backendUrl: 'http://b',
        token: 't',
        outDir: dir,
        fetchImpl: respond(200, okBody),
      }),
    ).rejects.toThrow(/is not empty/);
  });

  it('explains refused values field by field and writes nothing', async () => {
    const dir = templateDir();
    const out = path.join(dir, 'out');
    const promise = renderTemplate({
      templateDir: dir,
      values: { name: 'Bad Name' },
      backendUrl: 'http://b',
      token: 't',
      outDir: out,
      fetchImpl: respond(400, {
        errors: [{ path: [], message: 'does not match' }],
      }),
    });
    await expect(promise).rejects.toThrow(
      /HTTP 400\): name must match pattern "\^\[a-z\]\+\$" — Lowercase letters\./,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('reports the failed step with its last log line and writes nothing', async () => {
    const dir = templateDir();
    const out = path.join(dir, 'out');
    const body = {
      ...okBody,
      log: [
        { body: { message: 'Beginning step Fetch', stepId: 'fetch' } },
        { body: { message: 'buf lint found 2 problems', stepId: 'fetch' } },
        { body: { message: 'failed', stepId: 'fetch', status: 'failed' } },
      ],
    };
    const error = await renderTemplate({
      templateDir: dir,
      values: {},
      backendUrl: 'http://b',
      token: 't',
      outDir: out,
      fetchImpl: respond(200, body),
    }).catch(e => e);
    expect(error).toBeInstanceOf(RenderError);
    expect(error.message).toBe(
      'step "Fetch" (fetch:template) failed: buf lint found 2 problems',
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('says which backend it cannot reach', async () => {
    const dir = templateDir();
    const fetchImpl = jest.fn(async () => {
      throw Object.assign(new TypeError('fetch failed'), {
        cause: { code: 'ECONNREFUSED' },
      });
    }) as unknown as typeof fetch;
    await expect(
      renderTemplate({
        templateDir: dir,
        values: {},
        backendUrl: 'http://127.0.0.1:9',
        token: 't',
        fetchImpl,
      }),
    ).rejects.toThrow('cannot reach http://127.0.0.1:9: ECONNREFUSED');
  });
});
