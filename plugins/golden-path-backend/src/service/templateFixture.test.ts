import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  copyRenderedService,
  FIXTURE_VALUES,
  PROTO_DIR,
  SERVICE_DIR,
  serviceEntity,
} from '../__fixtures__/renderedService';
import { DefaultInsightsService } from './InsightsService';

/*
 * The insights of the service the Go service template rendered
 * (src/__fixtures__/go-service, see its README), and of broken copies of it:
 * an import breaking the dependency rule, a migration edited after hashing,
 * a tampered atlas.sum. The atlas.sum verdicts are checked against the real
 * `atlas migrate validate` on the same directory.
 */
const run = promisify(execFile);
const ATLAS = path.resolve(__dirname, '../../../../.tools/bin/atlas');
/** The monorepo template's shared protos (`common/v1`), which the service's API imports. */
const MONOREPO_PROTOS = path.resolve(
  __dirname,
  '../../../../templates/go-monorepo/skeleton/api/proto',
);
const MIGRATIONS = `${SERVICE_DIR}/db/migrations`;

describe('insights of the service rendered by the Go service template', () => {
  let tmp: string;
  let service: DefaultInsightsService;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-template-fixture-'));
    service = DefaultInsightsService.fromConfig(
      new ConfigReader({ goldenPath: { insights: { localRoots: [tmp] } } }),
      {
        logger: mockServices.logger.mock(),
        urlReader: mockServices.urlReader.mock(),
        cache: mockServices.cache.mock(),
      },
    );
  });

  afterAll(async () => {
    await service.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A fresh copy of the rendered service under its own directory. */
  const copy = (name: string) => copyRenderedService(path.join(tmp, name));

  /** `atlas migrate validate` on a copy's migration directory: null when Atlas accepts it, else its message. */
  async function atlasValidate(root: string): Promise<string | null> {
    return run(ATLAS, [
      'migrate',
      'validate',
      '--dir',
      `file://${path.join(root, MIGRATIONS)}`,
    ]).then(
      () => null,
      e => `${e.stdout}${e.stderr}`,
    );
  }

  it('finds every layer, the API and the migrations, and nothing to fix', async () => {
    const root = copy('clean');
    // the monorepo the service is published into holds the shared protos
    fs.cpSync(
      path.join(MONOREPO_PROTOS, 'common'),
      path.join(root, 'api/proto/common'),
      { recursive: true },
    );
    const insights = await service.getInsights(serviceEntity(root));
    expect(insights.source.problems).toEqual([]);

    const { layers } = insights;
    expect(layers.violations).toEqual([]);
    expect(layers.problems).toEqual([]);
    // the rule checked is the one the service ships, not the default
    expect(layers.dependencyRule).toMatchObject({
      source: 'service',
      path: `${SERVICE_DIR}/.golangci.yml`,
    });
    expect(layers.dependencyRule?.rules.map(r => r.name)).toEqual([
      'adapter',
      'application',
      'domain',
    ]);
    for (const layer of [
      'domain',
      'application',
      'adapter',
      'infrastructure',
    ]) {
      expect(
        layers.layers.find(l => l.layer === layer)?.packages,
      ).toBeGreaterThan(0);
    }
    const sublayers = layers.packages.map(
      p => `${p.layer}/${p.sublayer ?? ''}`,
    );
    expect(sublayers).toEqual(
      expect.arrayContaining([
        'domain/entity',
        'application/usecase',
        'adapter/inbound/grpc',
        'adapter/outbound/persistence',
        'other/generated',
      ]),
    );

    const api = insights.protos.files.find(f => f.services.length > 0)!;
    expect(api.path).toBe(
      `${PROTO_DIR}/v1/${FIXTURE_VALUES.name}_service.proto`,
    );
    expect(api.parseError).toBeUndefined();
    expect(api.problems).toEqual([]);
    // every import resolves (common/v1, well-known types): nothing left unanalysed
    expect(insights.protos.problems).toEqual([]);
    expect(insights.protos.files.flatMap(f => f.problems)).toEqual([]);
    expect(api.package).toBe(`${FIXTURE_VALUES.name}.v1`);
    const A = FIXTURE_VALUES.aggregate;
    expect(api.services.map(s => s.name)).toEqual([`${A}Service`]);
    expect(api.services[0].rpcs.map(r => r.name)).toEqual(
      expect.arrayContaining([`Create${A}`, `Get${A}`, `Freeze${A}`]),
    );
    const create = api.messageDetails!.find(
      m => m.fullName === `${FIXTURE_VALUES.name}.v1.Create${A}Request`,
    )!;
    expect(
      create.fields.map(f => `${f.name}:${f.label ?? ''}${f.type}`),
    ).toEqual(
      expect.arrayContaining([
        'owner_id:string',
        'balance:common.v1.Money',
        'note:optionalstring',
      ]),
    );

    expect(insights.migrations.sum).toMatchObject({
      status: 'ok',
      edited: [],
      added: [],
      removed: [],
    });
    expect(insights.migrations.files.length).toBeGreaterThan(0);
    expect(insights.migrations.format).toBe('atlas');
    expect(insights.migrations.problems).toEqual([]);
    expect(await atlasValidate(root)).toBeNull();
  });

  it('reports an import breaking the dependency rule with its file and line', async () => {
    const root = copy('violation');
    const module = /^module (\S+)/m.exec(
      fs.readFileSync(path.join(root, SERVICE_DIR, 'go.mod'), 'utf8'),
    )![1];
    const entityDir = path.join(root, SERVICE_DIR, 'internal/domain/entity');
    const file = fs
      .readdirSync(entityDir)
      .filter(f => f.endsWith('.go') && !f.endsWith('_test.go'))
      .find(f =>
        /^import \($/m.test(fs.readFileSync(path.join(entityDir, f), 'utf8')),
      )!;
    const source = fs.readFileSync(path.join(entityDir, file), 'utf8');
    fs.writeFileSync(
      path.join(entityDir, file),
      source.replace(
        /^import \($/m,
        `import (\n\t"${module}/internal/adapter/outbound/persistence"`,
      ),
    );
    const line = source.split('\n').findIndex(l => l === 'import (') + 2;

    const { layers } = await service.getInsights(
      serviceEntity(root, 'violation'),
    );
    expect(layers.violations).toEqual([
      expect.objectContaining({
        path: `${SERVICE_DIR}/internal/domain/entity/${file}`,
        line,
        fromLayer: 'domain',
        toLayer: 'adapter',
        toPackage: `${module}/internal/adapter/outbound/persistence`,
        // the rule of the service's own .golangci.yml (depguard), which its
        // architecture test and golangci-lint read too
        rule: `rule domain of ${SERVICE_DIR}/.golangci.yml: the domain depends on nothing else in the service`,
      }),
    ]);
  });

  it('reports a migration edited after atlas.sum was written, as Atlas does', async () => {
    const root = copy('edited');
    const dir = path.join(root, MIGRATIONS);
    const first = fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.sql'))
      .sort()[0];
    fs.appendFileSync(
      path.join(dir, first),
      '\nCREATE INDEX sneaky ON accounts (id);\n',
    );

    const { migrations } = await service.getInsights(
      serviceEntity(root, 'edited'),
    );
    expect(migrations.sum).toMatchObject({
      status: 'mismatch',
      edited: [first],
      added: [],
      removed: [],
      mismatch: { file: first, reason: 'edited' },
    });
    expect(await atlasValidate(root)).toMatch(/checksum mismatch/i);
  });

  it('reports a tampered atlas.sum as invalid, as Atlas does', async () => {
    const root = copy('tampered');
    const sum = path.join(root, MIGRATIONS, 'atlas.sum');
    const text = fs.readFileSync(sum, 'utf8');
    // another total on the first line: the sum file no longer matches itself
    fs.writeFileSync(
      sum,
      text.replace(/^h1:\S+/, `h1:${Buffer.alloc(32, 7).toString('base64')}`),
    );

    const { migrations } = await service.getInsights(
      serviceEntity(root, 'tampered'),
    );
    expect(migrations.sum.status).toBe('invalid');
    expect(migrations.sum.message).toMatch(/atlas\.sum/);
    expect(await atlasValidate(root)).toMatch(/checksum mismatch/i);
  });

  it('reports a migration added without running atlas migrate hash, as Atlas does', async () => {
    const root = copy('added');
    const dir = path.join(root, MIGRATIONS);
    fs.writeFileSync(
      path.join(dir, '9999_add_flag.sql'),
      'ALTER TABLE accounts ADD COLUMN flag boolean;\n',
    );

    const { migrations } = await service.getInsights(
      serviceEntity(root, 'added'),
    );
    expect(migrations.sum).toMatchObject({
      status: 'mismatch',
      added: ['9999_add_flag.sql'],
      mismatch: { file: '9999_add_flag.sql', reason: 'added' },
    });
    expect(await atlasValidate(root)).toMatch(/checksum mismatch/i);
  });
});
