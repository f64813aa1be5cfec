import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveServiceDependencies } from './serviceDependencies';

let top: string;
let monorepo: string;
let host: string;

beforeEach(() => {
  top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gp-deps-')));
  monorepo = path.join(top, 'shop');
  host = path.join(top, 'host');
  for (const f of [
    'pkg/circuitbreaker/circuitbreaker.go',
    'pkg/middleware/grpc/interceptor/client.go',
  ]) {
    fs.mkdirSync(path.dirname(path.join(monorepo, f)), { recursive: true });
    fs.writeFileSync(path.join(monorepo, f), 'package x\n');
  }
  // A host directory with a service-like name in it.
  fs.mkdirSync(path.join(host, 'payroll-service'), { recursive: true });
});
afterEach(() => fs.rmSync(top, { recursive: true, force: true }));

const resolve = (dep: string) =>
  resolveServiceDependencies(monorepo, 'shop', 'order', [dep]);

describe('bad input: a monorepo whose symlinks lead out of it', () => {
  // Before: existsSync and readdirSync followed the link, and the refusal
  // listed the host directory's *-service names ("its services are payroll").
  it('refuses services/ linked to a host directory, without listing it', () => {
    fs.symlinkSync(host, path.join(monorepo, 'services'));
    let message = '';
    try {
      resolve('billing');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'dependsOn[0] "billing": path "services/billing-service" goes through a symlink (services); symlinks are not followed here: replace it with a regular directory',
    );
    expect(message).not.toContain('payroll');
  });

  it('refuses a service directory linked to a host directory', () => {
    fs.mkdirSync(path.join(monorepo, 'services'));
    fs.symlinkSync(
      path.join(host, 'payroll-service'),
      path.join(monorepo, 'services/payroll-service'),
    );
    expect(() => resolve('payroll')).toThrow(
      /^dependsOn\[0\] "payroll": path "services\/payroll-service" is a symlink; symlinks are not followed here/,
    );
  });
});
