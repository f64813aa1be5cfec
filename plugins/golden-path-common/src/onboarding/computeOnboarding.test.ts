import type { GoServiceInsights } from '../insights';
import { computeOnboarding, OnboardingEntity } from './computeOnboarding';

const teamRef = 'group:default/team-orders';
const team: OnboardingEntity = {
  kind: 'Group',
  metadata: { name: 'team-orders' },
};
const system: OnboardingEntity = {
  kind: 'System',
  metadata: {
    name: 'shop',
    annotations: { 'golden-path.dev/monorepo': 'shop' },
  },
  spec: { owner: teamRef },
};
const service: OnboardingEntity = {
  kind: 'Component',
  metadata: {
    name: 'order-service',
    annotations: { 'golden-path.dev/go-service': 'services/order-service' },
  },
  spec: { type: 'service', owner: teamRef, system: 'shop' },
};

function insights(
  overrides: {
    violations?: number;
    env?: 'ok' | 'pending' | 'error' | 'none';
    protoError?: boolean;
  } = {},
): GoServiceInsights {
  const env = overrides.env ?? 'ok';
  return {
    entityRef: 'component:default/order-service',
    generatedAt: '2026-11-25T00:00:00Z',
    source: {
      location: 'dir:/x',
      serviceDir: 'services/order-service',
      fileCount: 10,
      problems: [],
    },
    layers: {
      layers: [],
      packages: [],
      violations: Array.from({ length: overrides.violations ?? 0 }, () => ({
        path: 'internal/domain/entity/order.go',
        line: 7,
        column: 2,
        fromPackage: 'a',
        fromLayer: 'domain' as const,
        toPackage: 'b',
        toLayer: 'adapter' as const,
        rule: 'domain must not import adapter',
      })),
      problems: [],
      totals: { packages: 0, files: 0, testFiles: 0, lines: 0 },
    },
    protos: {
      files: [
        {
          path: 'order.proto',
          imports: [],
          services: [],
          messages: [],
          enums: [],
          problems: overrides.protoError
            ? [
                {
                  severity: 'error',
                  code: 'proto-enum-zero',
                  message: 'enum Status must start with STATUS_UNSPECIFIED = 0',
                },
              ]
            : [{ severity: 'info', code: 'note', message: 'fine' }],
        },
      ],
      problems: [],
    },
    migrations: {
      dir: 'db/migrations',
      format: 'atlas',
      formatReason: 'Atlas’s own format',
      files: [],
      sum: {} as any,
      problems: [],
      environments:
        env === 'none'
          ? []
          : [
              {
                name: 'local',
                status: env,
                message: env === 'error' ? 'connection refused' : undefined,
                revisionsSchema: 'atlas_schema_revisions',
                versions: [
                  {
                    version: '1',
                    description: 'init',
                    state: 'applied',
                    types: ['execute'],
                  },
                  {
                    version: '2',
                    description: 'status',
                    state: env === 'ok' ? 'applied' : 'pending',
                    types: [],
                  },
                ],
              },
            ],
    },
  };
}

const statuses = (r: ReturnType<typeof computeOnboarding>) =>
  Object.fromEntries(r.steps.map(s => [s.id, s.status]));

describe('computeOnboarding', () => {
  it('a team with no entities: only the first step is open, the rest wait', () => {
    const r = computeOnboarding({ teamRef, owned: [] });
    expect(statuses(r)).toEqual({
      team: 'open',
      system: 'blocked',
      monorepo: 'blocked',
      service: 'blocked',
      migrations: 'blocked',
      'dependency-rule': 'blocked',
      'proto-lint': 'blocked',
    });
    expect(r.steps[0].action).toEqual({
      type: 'template',
      title: 'Onboard a new team',
      templateRef: 'template:default/onboard-team',
      formData: { teamName: 'team-orders' },
    });
    expect(
      r.steps
        .filter(s => s.status === 'blocked')
        .every(s => s.action === undefined),
    ).toBe(true);
    expect(r.done).toBe(0);
  });

  it('a half-onboarded team: monorepo done, the service template is offered with the team pre-filled', () => {
    const r = computeOnboarding({ teamRef, team, owned: [system] });
    expect(statuses(r)).toMatchObject({
      team: 'done',
      system: 'done',
      monorepo: 'done',
      service: 'open',
      migrations: 'blocked',
    });
    expect(r.steps[3].action).toEqual({
      type: 'template',
      title: 'Add a Go service',
      templateRef: 'template:default/go-service',
      formData: { owner: teamRef, system: 'system:default/shop' },
    });
    expect(r.done).toBe(3);
  });

  it('a fully onboarded team: every step done', () => {
    const r = computeOnboarding({
      teamRef,
      team,
      owned: [system, service],
      insights: insights(),
    });
    expect(r.done).toBe(7);
    expect(r.steps.find(s => s.id === 'migrations')!.message).toBe(
      'Both migrations are applied in local.',
    );
  });

  it('counts migrations in English, whatever their number', () => {
    const texts = [0, 1, 3].map(n => {
      const i = insights();
      const env = i.migrations.environments[0];
      env.versions = Array.from({ length: n }, (_, k) => ({
        ...env.versions[0],
        version: String(k + 1),
      }));
      return computeOnboarding({
        teamRef,
        team,
        owned: [system, service],
        insights: i,
      }).steps.find(s => s.id === 'migrations')!.message;
    });
    expect(texts).toEqual([
      'There are no migrations to apply in local.',
      'The one migration is applied in local.',
      'All 3 migrations are applied in local.',
    ]);
  });

  it('a service with violations, pending migrations and proto findings: each step open with a link', () => {
    const r = computeOnboarding({
      teamRef,
      team,
      owned: [system, service],
      insights: insights({ violations: 2, env: 'pending', protoError: true }),
    });
    expect(statuses(r)).toMatchObject({
      migrations: 'open',
      'dependency-rule': 'open',
      'proto-lint': 'open',
    });
    const rule = r.steps.find(s => s.id === 'dependency-rule')!;
    expect(rule.message).toBe(
      '2 imports break the dependency rule, first: internal/domain/entity/order.go:7 (domain must not import adapter).',
    );
    expect(rule.action).toEqual({
      type: 'entity',
      title: 'See the violations',
      entityRef: 'component:default/order-service',
      tab: 'architecture',
    });
    expect(r.steps.find(s => s.id === 'migrations')!.message).toBe(
      'local: pending, 1 of 2 migrations not applied.',
    );
    expect(r.steps.find(s => s.id === 'proto-lint')!.message).toBe(
      '1 finding, first: enum Status must start with STATUS_UNSPECIFIED = 0',
    );
    const one = computeOnboarding({
      teamRef,
      team,
      owned: [system, service],
      insights: insights({ violations: 1 }),
    });
    expect(one.steps.find(s => s.id === 'dependency-rule')!.message).toMatch(
      /^1 import breaks the dependency rule, first: /,
    );
    const clean = computeOnboarding({
      teamRef,
      team,
      owned: [system, service],
      insights: insights(),
    });
    expect(clean.steps.find(s => s.id === 'proto-lint')!.message).toBe(
      '1 proto file, no findings.',
    );
    expect(r.steps.find(s => s.id === 'proto-lint')!.message).toMatch(
      /STATUS_UNSPECIFIED/,
    );
  });

  it('says why when insights cannot be read or no environment is configured', () => {
    const unreadable = computeOnboarding({
      teamRef,
      team,
      owned: [system, service],
      insights: { error: 'source unreadable' },
    });
    expect(statuses(unreadable)).toMatchObject({
      migrations: 'unknown',
      'dependency-rule': 'unknown',
    });
    expect(unreadable.steps[4].message).toBe(
      'Insights of component:default/order-service could not be read: source unreadable.',
    );
    const noEnv = computeOnboarding({
      teamRef,
      team,
      owned: [system, service],
      insights: insights({ env: 'none' }),
    });
    expect(noEnv.steps[4]).toMatchObject({
      status: 'open',
      message: expect.stringMatching(/No migration environment/),
    });
    const down = computeOnboarding({
      teamRef,
      team,
      owned: [system, service],
      insights: insights({ env: 'error' }),
    });
    expect(down.steps[4].message).toBe(
      'local could not be read: connection refused.',
    );
  });

  it('picks the first service by name and lists them all', () => {
    const other = {
      ...service,
      metadata: { ...service.metadata, name: 'audit-service' },
    };
    const r = computeOnboarding({
      teamRef,
      team,
      owned: [system, service, other],
      insights: insights(),
    });
    expect(r.steps[3].entityRefs).toEqual([
      'component:default/audit-service',
      'component:default/order-service',
    ]);
    expect(r.steps[4].entityRefs).toEqual(['component:default/audit-service']);
  });
});
