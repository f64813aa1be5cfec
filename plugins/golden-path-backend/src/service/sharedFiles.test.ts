import type { Entity } from '@backstage/catalog-model';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  localInsightsService,
  writeFiles,
} from '../__testUtils__/localInsights';
import { FileContentCache } from '../analysis';

/*
 * The services of one monorepo share its api/proto/ tree and go.mod: the
 * insights service reads those files once while they are unchanged and
 * parses each proto once per content. Nothing it serves may differ from a
 * fresh analysis, and an edit is seen on the next analysis, whether it
 * changes the file's size or not.
 */
const SHARED_PROTO = 'api/proto/common/v1/money.proto';
const MONEY = `syntax = "proto3";
package common.v1;
message Money { int64 units = 1; string currency_code = 2; }
`;

function service(name: string): Record<string, string> {
  const pkg = name.replace(/-/g, '');
  return {
    [`services/${name}-service/go.mod`]: `module example.com/${name}-service\n\ngo 1.26\n`,
    [`services/${name}-service/internal/domain/entity/thing.go`]:
      'package entity\n\ntype Thing struct{}\n',
    [`api/proto/${pkg}/v1/${pkg}_service.proto`]: `syntax = "proto3";
package ${pkg}.v1;
import "common/v1/money.proto";
service ${pkg[0].toUpperCase()}${pkg.slice(1)}Service {
  rpc GetPrice(GetPriceRequest) returns (GetPriceResponse);
}
message GetPriceRequest { string id = 1; }
message GetPriceResponse { common.v1.Money price = 1; }
`,
  };
}

describe('the files a monorepo’s services share', () => {
  let root: string;

  const write = (rel: string, text: string) =>
    writeFiles(root, { [rel]: text });
  const newService = () => localInsightsService(root);
  const entity = (name: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${name}-service`,
      namespace: 'default',
      annotations: {
        'golden-path.dev/go-service': `services/${name}-service`,
        'backstage.io/source-location': `dir:${root}/`,
        'backstage.io/managed-by-location': `file:${root}/services/${name}-service/catalog-info.yaml`,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  });
  const unknownTypes = (insights: GoServiceInsights) =>
    insights.protos.files
      .flatMap(f => f.problems)
      .filter(p => p.code === 'proto-unknown-type')
      .map(p => p.message);
  const withoutTime = ({ generatedAt, ...rest }: GoServiceInsights) => rest;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-shared-files-'));
    write('go.mod', 'module example.com/shop\n\ngo 1.26\n');
    write(SHARED_PROTO, MONEY);
    for (const name of ['order', 'billing', 'price-list'])
      for (const [rel, text] of Object.entries(service(name))) write(rel, text);
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives each service the insights a fresh analysis gives', async () => {
    const shared = newService();
    try {
      for (const name of ['order', 'billing', 'price-list', 'order']) {
        const fresh = newService();
        try {
          const a = await shared.getInsights(entity(name), { refresh: true });
          const b = await fresh.getInsights(entity(name), { refresh: true });
          expect(withoutTime(a)).toEqual(withoutTime(b));
          expect(unknownTypes(a)).toEqual([]);
        } finally {
          await fresh.close();
        }
      }
    } finally {
      await shared.close();
    }
  }, 120_000); // eight full analyses: over 30 s on a loaded 2-core machine

  it('sees an edited proto on the next analysis, of the same size or not', async () => {
    const insights = newService();
    try {
      const before = await insights.getInsights(entity('order'));
      expect(unknownTypes(before)).toEqual([]);
      await insights.getInsights(entity('billing'));

      // same size, and the modification time put back (as far as utimes
      // can): the change time still differs
      const stat = fs.statSync(path.join(root, SHARED_PROTO));
      write(SHARED_PROTO, MONEY.replace('message Money', 'message Monet'));
      fs.utimesSync(
        path.join(root, SHARED_PROTO),
        stat.atimeMs / 1000,
        stat.mtimeMs / 1000,
      );
      const renamed = await insights.getInsights(entity('billing'), {
        refresh: true,
      });
      expect(unknownTypes(renamed)).toEqual([
        'field "GetPriceResponse.price" has type "common.v1.Money", which is not declared in this file or in any file it imports',
      ]);

      // another size
      write(SHARED_PROTO, `${MONEY}message Discount { Money amount = 1; }\n`);
      const restored = await insights.getInsights(entity('order'), {
        refresh: true,
      });
      expect(unknownTypes(restored)).toEqual([]);
      const fresh = newService();
      try {
        expect(withoutTime(restored)).toEqual(
          withoutTime(
            await fresh.getInsights(entity('order'), { refresh: true }),
          ),
        );
      } finally {
        await fresh.close();
      }
    } finally {
      await insights.close();
    }
  });

  it('keeps a content only under the stat it was read with, within its limits', () => {
    const cache = new FileContentCache({ maxEntries: 2, maxBytes: 10 });
    const file = path.join(root, 'go.mod');
    const st = fs.statSync(file);
    // over maxBytes on its own: not kept
    cache.set(file, st, fs.readFileSync(file));
    expect(cache.get(file, st)).toBe(undefined);
    const small = { ...st, size: 3 } as fs.Stats;
    cache.set('/a', small, Buffer.from('abc'));
    expect(cache.get('/a', small)?.toString()).toBe('abc');
    expect(cache.get('/a', { ...small, ctimeMs: 1 } as fs.Stats)).toBe(
      undefined,
    );
    // dropped once it did not match
    expect(cache.get('/a', small)).toBe(undefined);
    // read while it changed (fewer bytes than its stat said): not kept
    cache.set('/b', small, Buffer.from('ab'));
    expect(cache.get('/b', small)).toBe(undefined);
    for (const p of ['/c', '/d', '/e']) cache.set(p, small, Buffer.from('abc'));
    expect(cache.stats()).toEqual({ entries: 2, bytes: 6 });
    expect(cache.get('/c', small)).toBe(undefined);
    expect(cache.get('/e', small)?.toString()).toBe('abc');
  });
});
