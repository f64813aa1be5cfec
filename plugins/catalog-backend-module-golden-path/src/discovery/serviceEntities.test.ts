import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  protoOf,
  recordedValues,
  templateCatalogInfo,
  templateService,
  tempDir,
  writeTree,
} from '../__testUtils__/monorepo';
import { LocalMonorepoSource } from './localSource';
import { ParsedYamlCache, serviceEntities } from './serviceEntities';

/*
 * The entities of one service directory, read from a real monorepo on disk
 * through the local source: what the template writes, what older bundles and
 * people write, and what a hostile catalog-info.yaml holds.
 */
let root: string;
beforeEach(() => {
  root = tempDir('gp-discovery-entities-');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function discover(files: Record<string, string | Buffer>) {
  writeTree(path.join(root, 'shop'), files);
  const warnings: string[] = [];
  const warn = (l: string) => warnings.push(l);
  const services = await new LocalMonorepoSource(root, {
    maxFileBytes: 64 * 1024,
  }).readServices(warn);
  const entities: Entity[] = [];
  for (const s of services) entities.push(...(await serviceEntities(s, warn)));
  return {
    services,
    entities,
    warnings,
    refs: entities.map(e => stringifyEntityRef(e)),
  };
}

const SERVICE_DIR = () => path.join(root, 'shop/services/order-service');
const CATALOG = () => path.join(SERVICE_DIR(), 'catalog-info.yaml');

describe('serviceEntities', () => {
  it('emits what the template wrote, located at the service catalog-info.yaml', async () => {
    const { entities, warnings, refs } = await discover(
      templateService('order'),
    );
    expect(warnings).toEqual([]);
    expect(refs).toEqual([
      'component:default/order-service',
      'api:default/order-grpc-api',
      'resource:default/order-db',
    ]);
    for (const e of entities) {
      expect(e.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': `file:${CATALOG()}`,
        'backstage.io/managed-by-origin-location': `file:${CATALOG()}`,
      });
    }
    expect(entities[0].metadata.annotations).toMatchObject({
      'golden-path.dev/go-service': 'services/order-service',
      'backstage.io/techdocs-ref': 'dir:.',
    });
    expect(entities[1].spec?.definition).toContain('package order.v1;');
  });

  it('describes a service of an older bundle from its recorded values alone, the proto inlined', async () => {
    const files = templateService('order-history');
    delete files['services/order-history-service/catalog-info.yaml'];
    const { entities, warnings, refs } = await discover(files);
    expect(warnings).toEqual([]);
    expect(refs).toEqual([
      'component:default/order-history-service',
      'api:default/order-history-grpc-api',
      'resource:default/order-history-db',
    ]);
    expect(entities[0].spec).toMatchObject({
      type: 'service',
      owner: 'group:default/team-a',
      system: 'system:default/shop',
      providesApis: ['order-history-grpc-api'],
      dependsOn: ['resource:order-history-db'],
    });
    expect(entities[0].metadata.annotations).toMatchObject({
      'golden-path.dev/go-service': 'services/order-history-service',
      'golden-path.dev/monorepo': 'shop',
      'backstage.io/managed-by-location': `file:${path.join(
        root,
        'shop/services/order-history-service/catalog-info.yaml',
      )}`,
    });
    expect(entities[1].spec?.definition).toBe(protoOf('orderhistory'));
    expect(entities[2].spec).toMatchObject({ type: 'database' });
  });

  it("describes, from the recorded values alone, each added aggregate's API as the template's catalog-info.yaml does", async () => {
    const files = templateService('order-history');
    delete files['services/order-history-service/catalog-info.yaml'];
    const doc = JSON.parse(
      files['services/order-history-service/.golden-path/values.json'],
    );
    doc.values.aggregates = [
      { name: 'WarehouseBin', plural: 'WarehouseBins', snake: 'warehouse_bin' },
    ];
    files['services/order-history-service/.golden-path/values.json'] =
      JSON.stringify(doc);
    const binProto =
      'syntax = "proto3";\n\npackage orderhistory.v1;\n\nservice WarehouseBinService {}\n';
    files['api/proto/orderhistory/v1/warehouse_bin_service.proto'] = binProto;
    const { entities, warnings, refs } = await discover(files);
    expect(warnings).toEqual([]);
    expect(refs).toEqual([
      'component:default/order-history-service',
      'api:default/order-history-grpc-api',
      'resource:default/order-history-db',
      'api:default/order-history-grpc-api-warehouse-bin',
    ]);
    expect(entities[0].spec?.providesApis).toEqual([
      'order-history-grpc-api',
      'order-history-grpc-api-warehouse-bin',
    ]);
    expect(entities[3].spec).toMatchObject({
      type: 'grpc',
      owner: 'group:default/team-a',
      system: 'system:default/shop',
      definition: binProto,
    });
    expect(entities[3].metadata.description).toBe(
      'orderhistory.v1.WarehouseBinService, the gRPC API of the WarehouseBin aggregate of order-history-service',
    );
    // Its proto missing: the service is skipped with one line naming it.
    delete files['api/proto/orderhistory/v1/warehouse_bin_service.proto'];
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root);
    const missing = await discover(files);
    expect(missing.refs).toEqual([]);
    expect(missing.warnings.join('\n')).toContain(
      'warehouse_bin_service.proto does not exist',
    );
  });

  it('completes a hand-made catalog-info.yaml without API and Resource from the recorded values', async () => {
    const { entities, warnings, refs } = await discover({
      ...templateService('order'),
      'services/order-service/catalog-info.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata: { name: orders, description: hand made }',
        'spec: { type: service, lifecycle: production, owner: group:default/team-b }',
      ].join('\n'),
    });
    expect(warnings).toEqual([]);
    expect(refs).toEqual([
      'component:default/orders',
      'api:default/order-grpc-api',
      'resource:default/order-db',
    ]);
    expect(entities[0].spec).toMatchObject({
      lifecycle: 'production',
      owner: 'group:default/team-b',
      providesApis: ['api:order-grpc-api'],
      dependsOn: ['resource:order-db'],
    });
  });

  it('emits a hand-made catalog-info.yaml without recorded values, reading $text inside the monorepo', async () => {
    const { entities, warnings, refs } = await discover({
      'api/proto/billing/v1/billing.proto': 'syntax = "proto3";\n',
      'services/billing-service/catalog-info.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata: { name: billing-service }',
        'spec: { type: service, lifecycle: production, owner: team-b, providesApis: [billing-api], dependsOn: [resource:billing-db] }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: API',
        'metadata: { name: billing-api }',
        'spec: { type: grpc, lifecycle: production, owner: team-b, definition: { $text: ../../api/proto/billing/v1/billing.proto } }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Resource',
        'metadata: { name: billing-db }',
        'spec: { type: database, owner: team-b }',
      ].join('\n'),
    });
    expect(warnings).toEqual([]);
    expect(refs).toEqual([
      'component:default/billing-service',
      'api:default/billing-api',
      'resource:default/billing-db',
    ]);
    expect(entities[1].spec?.definition).toBe('syntax = "proto3";\n');
    expect(
      entities[0].metadata.annotations?.['golden-path.dev/go-service'],
    ).toBe('services/billing-service');
  });

  const component = (extra = '') =>
    `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: order-service${extra} }\nspec: { type: service, lifecycle: production, owner: team-a }\n`;

  // Each hostile file: skipped with exactly one warning naming it, nothing thrown.
  it.each([
    [
      'a Location (would make the catalog read any file)',
      `${component()}---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: { name: x }\nspec: { targets: [/etc/passwd] }\n`,
      'declares kind "Location"',
    ],
    [
      'a Group',
      'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: admins }\nspec: { type: team, children: [] }\n',
      'declares kind "Group"',
    ],
    [
      'a Template',
      'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: { name: t }\nspec: {}\n',
      'declares kind "Template"',
    ],
    [
      'another namespace',
      component(', namespace: platform'),
      'claims the namespace "platform"',
    ],
    [
      'invalid YAML',
      'kind: Component\nmetadata: { name: [\n',
      'is not valid YAML',
    ],
    [
      'an alias bomb',
      `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
      'is not valid YAML',
    ],
    [
      'a list, not an entity',
      '- a\n- b\n',
      'document 1 is not a catalog entity',
    ],
    [
      'two Components',
      `${component()}---\n${component('-2')}`,
      'declares 2 Components',
    ],
    [
      'no Component',
      'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: db }\nspec: { type: database, owner: team-a }\n',
      'declares 0 Components',
    ],
    [
      'one entity twice',
      `${component()}---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: db }\nspec: { type: database, owner: team-a }\n---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: db }\nspec: { type: database, owner: team-b }\n`,
      'declares resource:default/db twice',
    ],
    [
      'a placeholder outside an API definition',
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: order-service, description: { $text: /etc/passwd } }\nspec: { type: service, lifecycle: production, owner: team-a }\n`,
      'has the placeholder metadata.description.$text',
    ],
    [
      '$text leaving the monorepo',
      `${component()}---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: { name: a }\nspec: { type: grpc, lifecycle: production, owner: team-a, definition: { $text: ../../../../../../etc/passwd } }\n`,
      'points outside the monorepo',
    ],
    [
      '$text as a URL',
      `${component()}---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: { name: a }\nspec: { type: grpc, lifecycle: production, owner: team-a, definition: { $text: "http://169.254.169.254/latest" } }\n`,
      'is a URL',
    ],
    [
      'an unknown apiVersion',
      'apiVersion: example.com/v9\nkind: Component\nmetadata: { name: order-service }\nspec: { type: service, lifecycle: production, owner: team-a }\n',
      'is not backstage.io/v1alpha1',
    ],
    [
      'an invalid name',
      component('-').replace('order-service-', 'Order Service!'),
      'is not a valid catalog entity',
    ],
    [
      'a huge file',
      `${component()}# ${'x'.repeat(70 * 1024)}\n`,
      'more than the 65536 bytes',
    ],
  ])(
    'skips a catalog-info.yaml with %s, with one warning naming it',
    async (_what, content, problem) => {
      const { entities, warnings } = await discover({
        'services/order-service/catalog-info.yaml': content,
      });
      expect(entities).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(CATALOG());
      expect(warnings[0]).toContain(problem);
    },
  );

  it('falls back to the recorded values when the catalog-info.yaml is hostile, saying so', async () => {
    const { refs, warnings } = await discover({
      ...templateService('order'),
      'services/order-service/catalog-info.yaml': component(
        ', namespace: platform',
      ),
    });
    expect(refs).toEqual([
      'component:default/order-service',
      'api:default/order-grpc-api',
      'resource:default/order-db',
    ]);
    expect(warnings).toEqual([
      expect.stringContaining(
        `${CATALOG()}: Component "order-service" claims the namespace "platform"`,
      ),
    ]);
    expect(warnings[0]).toContain('described from .golden-path/values.json');
  });

  it.each([
    ['invalid JSON', '{', 'is not valid JSON'],
    [
      'another template',
      JSON.stringify({ template: 'go-monorepo', values: {} }),
      'does not hold the values of the Go service template',
    ],
    [
      'missing values',
      JSON.stringify({ template: 'go-service', values: { name: 'order' } }),
      'lacks serviceName, owner, system, protoPkg',
    ],
    [
      'another service',
      recordedValues('payment'),
      'records the service "payment-service", not order-service',
    ],
  ])(
    'skips recorded values with %s, with one warning naming the file',
    async (_what, content, problem) => {
      const { entities, warnings } = await discover({
        'services/order-service/.golden-path/values.json': content,
      });
      expect(entities).toEqual([]);
      expect(warnings).toEqual([
        expect.stringContaining(
          `${path.join(SERVICE_DIR(), '.golden-path/values.json')}: ${problem}`,
        ),
      ]);
    },
  );

  it('skips recorded values whose proto is missing, naming it', async () => {
    const { entities, warnings } = await discover({
      'services/order-service/.golden-path/values.json':
        recordedValues('order'),
    });
    expect(entities).toEqual([]);
    expect(warnings).toEqual([
      expect.stringContaining(
        'its API definition ../../api/proto/order/v1/order_service.proto does not exist',
      ),
    ]);
  });

  it('keeps a template catalog-info.yaml byte-for-byte apart from the location annotations', async () => {
    const { entities } = await discover(templateService('order'));
    const raw = parseAllDocuments(templateCatalogInfo('order')).map(d =>
      d.toJS(),
    );
    const strip = (e: Entity) => {
      const a = { ...e.metadata.annotations };
      delete a['backstage.io/managed-by-location'];
      delete a['backstage.io/managed-by-origin-location'];
      return { ...e, metadata: { ...e.metadata, annotations: a } };
    };
    expect(entities.map(strip)).toEqual(
      raw.map(e =>
        e.kind === 'Component'
          ? e
          : { ...e, metadata: { ...e.metadata, annotations: {} } },
      ),
    );
  });
});

describe('ParsedYamlCache', () => {
  const yaml = require('yaml');

  it('parses each content once while it is in use, hands out copies, and forgets what a refresh did not ask for', () => {
    const spy = jest.spyOn(yaml, 'parseAllDocuments');
    const cache = new ParsedYamlCache();
    const good = Buffer.from(templateCatalogInfo('order'));
    const bad = Buffer.from('kind: [');
    const first = cache.parse(good);
    (first[0] as any).metadata.name = 'changed by a caller';
    expect((cache.parse(good)[0] as any).metadata.name).toBe('order-service');
    expect(() => cache.parse(bad)).toThrow('is not valid YAML');
    expect(() => cache.parse(bad)).toThrow('is not valid YAML');
    expect(spy).toHaveBeenCalledTimes(2);
    cache.sweep(); // both were used in this round: kept
    cache.parse(good);
    expect(spy).toHaveBeenCalledTimes(2);
    cache.sweep(); // bad was not asked for: dropped
    cache.sweep(); // nothing asked for: good dropped too
    cache.parse(good);
    expect(() => cache.parse(bad)).toThrow('is not valid YAML');
    expect(spy).toHaveBeenCalledTimes(4);
    spy.mockRestore();
  });
});
