import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DefaultInsightsService } from './InsightsService';
import {
  localInsightsService,
  writeFiles,
} from '../__testUtils__/localInsights';

/*
 * The API of a service the templates did not make, kept where its
 * repository's buf.work.yaml says (one proto for every service, outside
 * api/proto): it is found, real errors stay errors, and the golden path's
 * naming conventions are one note. The same files with the template's
 * record are a golden-path service, held to them.
 */
const FILES: Record<string, string> = {
  'buf.work.yaml': 'version: v1\ndirectories:\n  - schemas\n',
  'src/checkoutservice/go.mod': 'module example.com/checkout\n\ngo 1.26\n',
  'src/checkoutservice/main.go': 'package main\n\nfunc main() {}\n',
  'schemas/shop.proto': `syntax = "proto3";
package shop;
service CheckoutService {
  rpc PlaceOrder(PlaceOrderRequest) returns (PlaceOrderResult) {}
}
message PlaceOrderRequest { Money total = 1; }
message PlaceOrderResult { string order_id = 1; }
service CartService {}
`,
};

describe('the protos of a service the templates did not make', () => {
  let root: string;
  let service: DefaultInsightsService;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-foreign-protos-'));
    service = localInsightsService(root);
  });

  afterAll(async () => {
    await service.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  function repo(name: string, extra: Record<string, string> = {}): Entity {
    writeFiles(path.join(root, name), { ...FILES, ...extra });
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'golden-path.dev/go-service': 'src/checkoutservice',
          'backstage.io/source-location': `dir:${root}/${name}/`,
          'backstage.io/managed-by-location': `file:${root}/${name}/catalog-info.yaml`,
        },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    };
  }

  const findings = (protos: { files: any[]; problems: any[] }) => [
    ...protos.files.flatMap(f =>
      f.problems.map((p: any) => `${p.severity} ${p.code}`),
    ),
    ...protos.problems.map(p => `${p.severity} ${p.code}`),
  ];

  it('finds the API through buf.work.yaml and notes the conventions once, keeping real errors', async () => {
    const { protos } = await service.getInsights(repo('foreign'));
    expect(protos.files.map(f => f.path)).toEqual(['schemas/shop.proto']);
    expect(findings(protos)).toEqual([
      'error proto-unknown-type',
      'info proto-conventions-not-checked',
    ]);
    expect(protos.problems[0].message).toBe(
      "the golden-path templates did not make this service, so its protos are not held to the golden path's naming conventions; 4 would not pass (proto-package ×1, proto-service-count ×1, proto-rpc-response ×1, proto-service-empty ×1) in 1 file; buf lint checks the rules the service chose",
    );
  });

  it("holds a service with the template's record to the conventions", async () => {
    const { protos } = await service.getInsights(
      repo('made', {
        'src/checkoutservice/.golden-path/values.json': '{}\n',
      }),
    );
    expect(findings(protos)).toContain('error proto-package');
    expect(findings(protos)).not.toContain(
      'info proto-conventions-not-checked',
    );
  });
});
