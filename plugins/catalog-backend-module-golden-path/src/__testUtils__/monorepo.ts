import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory for one test, removed by `cleanup`. */
export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Writes `files` (relative POSIX path → content) under `dir`. */
export function writeTree(dir: string, files: Record<string, string | Buffer>) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** The proto of a service, where the Go service template puts it. */
export const protoOf = (name: string) =>
  `syntax = "proto3";\n\npackage ${name}.v1;\n\nservice ${name[0].toUpperCase()}${name.slice(
    1,
  )}Service {}\n`;

/** catalog-info.yaml as the Go service template writes it for a local monorepo (definition inlined). */
export function templateCatalogInfo(name: string, monorepo = 'shop') {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}-service
  description: "Go service ${name}"
  annotations:
    backstage.io/techdocs-ref: dir:.
    golden-path.dev/go-service: services/${name}-service
    golden-path.dev/migrations-dir: db/migrations
    golden-path.dev/monorepo: ${monorepo}
  tags:
    - go
    - grpc
spec:
  type: service
  lifecycle: experimental
  owner: group:default/team-a
  system: system:default/${monorepo}
  providesApis:
    - ${name}-grpc-api
  dependsOn:
    - resource:${name}-db
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${name}-grpc-api
  description: ${name}.v1 gRPC API of ${name}-service
  tags:
    - grpc
spec:
  type: grpc
  lifecycle: experimental
  owner: group:default/team-a
  system: system:default/${monorepo}
  definition: |
    syntax = "proto3";
    package ${name}.v1;
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${name}-db
  description: PostgreSQL database ${name}_db of ${name}-service
  tags:
    - postgresql
spec:
  type: database
  owner: group:default/team-a
  system: system:default/${monorepo}
`;
}

/** .golden-path/values.json as the Go service template records it. */
export function recordedValues(name: string, monorepo = 'shop') {
  return JSON.stringify(
    {
      template: 'go-service',
      version: 1,
      values: {
        name,
        serviceName: `${name}-service`,
        description: `Go service ${name}`,
        pkgModule: `example.com/${monorepo}/pkg`,
        module: `example.com/${monorepo}/services/${name}-service`,
        protoPkg: name.replace(/-/g, ''),
        aggregate: 'Order',
        aggPlural: 'Orders',
        table: 'orders',
        fields: [{ name: 'title', type: 'string' }],
        stage: 'crud',
        jobs: [],
        owner: 'group:default/team-a',
        system: `system:default/${monorepo}`,
      },
    },
    null,
    2,
  );
}

/** A service as the Go service template renders it: catalog-info.yaml, values and the proto. */
export function templateService(name: string, monorepo = 'shop') {
  const pkg = name.replace(/-/g, '');
  return {
    [`services/${name}-service/catalog-info.yaml`]: templateCatalogInfo(
      name,
      monorepo,
    ),
    [`services/${name}-service/.golden-path/values.json`]: recordedValues(
      name,
      monorepo,
    ),
    [`services/${name}-service/go.mod`]: `module example.com/${monorepo}/services/${name}-service\n`,
    [`api/proto/${pkg}/v1/${pkg}_service.proto`]: protoOf(pkg),
  };
}
