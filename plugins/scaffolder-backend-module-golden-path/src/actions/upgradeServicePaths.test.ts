import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/*
 * The Go service template renders files outside the service's own paths
 * (services/<name>-service, api/proto/<pkg>, pkg/proto/<pkg>): its scrape
 * target and its dashboard in the monorepo's deploy/. The upgrade template
 * must check them out (where the monorepo has them: a service of a bundle
 * without metrics has none), fetch them from a forge, and publish them, or an
 * upgrade never brings them (a service made with METRICS_PORT=0 and no
 * dashboard would stay without them).
 */
const templates = path.resolve(__dirname, '../../../../templates');
const SERVICE_OWN = /^(services|api|pkg)\//;

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap(e => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? listFiles(dir, rel) : [rel];
    });
}

/** The service's name spelled as each file spells it, as `<service>`. */
const normal = (p: string) =>
  p
    .replace(/\$\{\{ values\.name \}\}-service/g, '<service>')
    .replace(/\$\{\{ steps\.plan\.output\.serviceName \}\}/g, '<service>')
    .replace(
      /\$\{\{ \(parameters\.service \| parseEntityRef\([^)]*\)\)\.name \}\}/g,
      '<service>',
    );

describe('templates/upgrade-service.yaml', () => {
  const goService = path.join(templates, 'go-service');
  const outside = [
    ...new Set(
      fs
        .readdirSync(goService)
        .filter(d => d.startsWith('skeleton'))
        .flatMap(d => listFiles(path.join(goService, d)))
        .filter(f => !SERVICE_OWN.test(f))
        .map(normal),
    ),
  ].sort();
  const steps: any[] = parse(
    fs.readFileSync(path.join(templates, 'upgrade-service.yaml'), 'utf8'),
  ).spec.steps;

  it('the Go service skeletons render the scrape target and the dashboard outside the service', () => {
    expect(outside).toEqual([
      'deploy/grafana/dashboards/<service>.json',
      'deploy/prometheus/targets/<service>.yml',
    ]);
  });

  it('publishes every file the skeletons render outside the service', () => {
    const changes = steps.find(st => st.id === 'changes');
    expect(changes.action).toBe('golden-path:workspace:changes');
    const published: string[] = changes.input.paths.map(normal);
    for (const f of outside) expect(published).toContain(f);
  });

  it('checks them out locally where the monorepo has them, and fetches deploy/ from a forge', () => {
    const checkouts = steps.filter(
      st => st.action === 'golden-path:local:checkout',
    );
    for (const f of outside) {
      const step = checkouts.find(st => st.input.paths.map(normal).includes(f));
      expect(step).toBeDefined();
      expect(step.input.skipMissing).toBe(true);
      expect(step.input.targetPath).toBe('.golden-path-update/before');
    }
    const fetch = steps.find(
      st =>
        st.action === 'fetch:plain' && /\/deploy$/.test(String(st.input.url)),
    );
    expect(fetch?.input.targetPath).toBe('.golden-path-update/before/deploy');
  });
});
