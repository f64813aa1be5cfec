import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateCatalogFile } from './validateCatalog';

const component = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-service
spec:
  type: service
  lifecycle: production
  owner: group:default/platform-team
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
spec:
  type: grpc
  lifecycle: production
  owner: group:default/platform-team
  definition:
    $text: ./orders.proto
`;

describe('validateCatalogFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-validate-catalog-'));
    fs.writeFileSync(path.join(dir, 'orders.proto'), 'syntax = "proto3";\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts valid entities with $text resolved and the definition equal to the proto', async () => {
    const file = path.join(dir, 'catalog-info.yaml');
    fs.writeFileSync(file, component);
    await expect(
      validateCatalogFile(file, { proto: path.join(dir, 'orders.proto') }),
    ).resolves.toEqual(['Component:orders-service', 'API:orders-api']);
  });

  describe('bad input: validate-catalog', () => {
    it('names an entity without a required field', async () => {
      const file = path.join(dir, 'catalog-info.yaml');
      fs.writeFileSync(
        file,
        component.replace('  lifecycle: production\n', ''),
      );
      await expect(validateCatalogFile(file)).rejects.toThrow(
        "Component orders-service: /spec must have required property 'lifecycle'",
      );
    });

    it('names a definition that differs from the proto', async () => {
      const file = path.join(dir, 'catalog-info.yaml');
      const other = path.join(dir, 'other.proto');
      fs.writeFileSync(file, component);
      fs.writeFileSync(other, 'syntax = "proto2";\n');
      await expect(validateCatalogFile(file, { proto: other })).rejects.toThrow(
        `API orders-api: the definition differs from ${other}`,
      );
    });

    it('names a $text target that does not exist', async () => {
      const file = path.join(dir, 'catalog-info.yaml');
      fs.writeFileSync(
        file,
        component.replace('./orders.proto', './gone.proto'),
      );
      await expect(validateCatalogFile(file)).rejects.toThrow(
        '$text: ./gone.proto does not exist',
      );
    });
  });
});
