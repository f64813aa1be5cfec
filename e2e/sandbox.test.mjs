// The real backend runs every tool in its OS sandbox: the start-up line says
// so, a tool caught while it runs sees no network and a root holding only the
// system's programs, its own binaries and its workspace. (The dev database's
// least privilege is proven with the real atlas and PostgreSQL in
// plugins/scaffolder-backend-module-golden-path/src/lib/devDatabase.test.ts:
// atlas:migrate:lint and :diff do not run in dry runs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BACKEND_URL,
  ROOT,
  RESULTS_DIR,
  authHeaders,
  renderHarness,
  startReadyBackend,
  stopProcess,
} from './lib/processes.mjs';

const BASE = BACKEND_URL;
let backend;
let api;
const scratch = mkdtempSync(join(tmpdir(), 'gp-e2e-sandbox-'));

before(async () => {
  backend = await startReadyBackend('sandbox-backend');
  api = await renderHarness();
});

after(async () => {
  if (backend) await stopProcess(backend);
  rmSync(scratch, { recursive: true, force: true });
});

/** Writes a template directory: template.yaml and skeleton files. */
function templateDir(name, steps, files) {
  const dir = join(scratch, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, 'skeleton', rel, '..'), { recursive: true });
    writeFileSync(join(dir, 'skeleton', rel), content);
  }
  writeFileSync(
    join(dir, 'template.yaml'),
    JSON.stringify({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name },
      spec: {
        owner: 'group:default/platform-team',
        type: 'fixture',
        steps: [
          {
            id: 'fetch',
            name: 'Fetch',
            action: 'fetch:template',
            input: { url: './skeleton' },
          },
          ...steps,
        ],
      },
    }),
  );
  return dir;
}

const render = templateDir =>
  api.renderTemplate({
    templateDir,
    values: {},
    backendUrl: BASE,
    token: authHeaders().Authorization.slice(7),
  });

test('the backend says at start-up that tools run in the bubblewrap sandbox', () => {
  const log = readFileSync(join(RESULTS_DIR, 'sandbox-backend.log'), 'utf8');
  assert.match(
    log,
    /Tools run in a bubblewrap sandbox \(\/[^)]*bwrap\): no network, only the step's workspace writable/,
  );
});

test("a tool caught while it runs is in its own network namespace and sees only the system's programs and its workspace", async () => {
  // A proto tree big enough for buf to run a while.
  const files = { 'proto/buf.yaml': 'version: v2\nlint:\n  use: [STANDARD]\n' };
  for (let i = 0; i < 150; i++) {
    const fields = Array.from(
      { length: 40 },
      (_, f) => `  string field_${f} = ${f + 1};`,
    ).join('\n');
    files[
      `proto/big/v1/m${i}.proto`
    ] = `syntax = "proto3";\npackage big.v1;\nmessage M${i} {\n${fields}\n}\n`;
  }
  const dir = templateDir(
    'sandbox-probe',
    [
      {
        id: 'lint',
        name: 'Lint',
        action: 'buf:lint',
        input: { workingDirectory: 'proto', failOnViolations: false },
      },
    ],
    files,
  );
  const seen = new Map();
  let rendering = true;
  const hostNet = readlinkSync('/proc/self/ns/net');
  const poll = (async () => {
    while (rendering) {
      for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
        try {
          if (
            readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'buf' ||
            seen.has(pid)
          )
            continue;
          seen.set(pid, {
            net: readlinkSync(`/proc/${pid}/ns/net`),
            root: readdirSync(`/proc/${pid}/root`).sort(),
            // The bundle's checkout holds the backend's config; only the tools' binaries are mounted from it.
            checkout: existsSync(`/proc/${pid}/root${ROOT}`)
              ? readdirSync(`/proc/${pid}/root${ROOT}`).sort()
              : [],
          });
        } catch {
          /* gone meanwhile */
        }
      }
      await new Promise(r => setTimeout(r, 2));
    }
  })();
  try {
    const result = await render(dir);
    assert.equal(result.steps.find(s => s.id === 'lint').status, 'completed');
  } finally {
    rendering = false;
    await poll;
  }
  assert.ok(seen.size > 0, 'no buf process was caught running');
  for (const [pid, { net, root, checkout }] of seen) {
    assert.notEqual(
      net,
      hostNet,
      `buf (pid ${pid}) shares the host's network namespace`,
    );
    for (const hidden of ['etc', 'home', 'root', 'var']) {
      assert.ok(
        !root.includes(hidden),
        `buf (pid ${pid}) sees /${hidden}: ${root.join(' ')}`,
      );
    }
    assert.deepEqual(
      checkout.filter(f => f !== '.tools'),
      [],
      `buf (pid ${pid}) sees the checkout: ${checkout.join(' ')}`,
    );
  }
});
