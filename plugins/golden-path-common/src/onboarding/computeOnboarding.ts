import { ANNOTATION_GO_SERVICE, ANNOTATION_MONOREPO } from '../annotations';
import type { GoServiceInsights } from '../insights';
import type { OnboardingAction, OnboardingStep, TeamOnboarding } from './types';

/**
 * The fields of a catalog entity the onboarding reads.
 *
 * @public
 */
export interface OnboardingEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: { type?: string; owner?: string; system?: string };
}

/**
 * What the onboarding is computed from.
 *
 * @public
 */
export interface OnboardingInput {
  /** The team, e.g. `group:default/team-orders`. */
  teamRef: string;
  /** The team's Group when the user can see it. */
  team?: OnboardingEntity;
  /** Systems, Components owned by the team (as the catalog returned them to the user). */
  owned: OnboardingEntity[];
  /** Insights of the first Go service, or the error that prevented reading them. */
  insights?: GoServiceInsights | { error: string };
  /** Template refs to link to. */
  templates?: { monorepo?: string; service?: string; onboarding?: string };
}

const ref = (e: OnboardingEntity) =>
  `${e.kind.toLocaleLowerCase('en-US')}:${e.metadata.namespace ?? 'default'}/${
    e.metadata.name
  }`;

const DEFAULT_TEMPLATES = {
  monorepo: 'template:default/go-monorepo',
  service: 'template:default/go-service',
  onboarding: 'template:default/onboard-team',
};

/** `1 finding`, `2 findings`. */
function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `All 3 migrations are applied in local.`, in English for any count. */
function appliedText(count: number, env: string): string {
  if (count === 0) return `There are no migrations to apply in ${env}.`;
  if (count === 1) return `The one migration is applied in ${env}.`;
  if (count === 2) return `Both migrations are applied in ${env}.`;
  return `All ${count} migrations are applied in ${env}.`;
}

/**
 * Computes a team's golden-path steps from what the catalog and the insights
 * backend report. Pure: the same input gives the same steps.
 *
 * @public
 */
export function computeOnboarding(input: OnboardingInput): TeamOnboarding {
  const templates = { ...DEFAULT_TEMPLATES, ...input.templates };
  const owner = input.teamRef;
  const systems = input.owned.filter(e => e.kind === 'System');
  const monorepos = input.owned.filter(
    e => e.metadata.annotations?.[ANNOTATION_MONOREPO],
  );
  const services = input.owned
    .filter(
      e =>
        e.kind === 'Component' &&
        e.metadata.annotations?.[ANNOTATION_GO_SERVICE],
    )
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const firstService = services[0];
  const system = systems[0];
  const steps: OnboardingStep[] = [];
  const add = (
    step: Omit<OnboardingStep, 'status' | 'entityRefs'> & {
      entityRefs?: string[];
    },
    done: boolean,
    blockedBy?: OnboardingStep,
  ) => {
    let status: OnboardingStep['status'] = 'open';
    if (done) status = 'done';
    else if (blockedBy && blockedBy.status !== 'done') status = 'blocked';
    steps.push({
      ...step,
      entityRefs: step.entityRefs ?? [],
      status,
      action: status === 'open' ? step.action : undefined,
    });
    return steps[steps.length - 1];
  };
  const template = (
    title: string,
    templateRef: string,
    formData: Record<string, unknown>,
  ): OnboardingAction => ({
    type: 'template',
    title,
    templateRef,
    formData,
  });

  const team = add(
    {
      id: 'team',
      title: 'Your team is in the catalog',
      message: input.team
        ? `Group ${ref(input.team)} exists.`
        : `No Group ${owner} that you can see: create it with the onboarding template, or ask for access.`,
      entityRefs: input.team ? [ref(input.team)] : [],
      action: template('Onboard a new team', templates.onboarding, {
        teamName: parseName(owner),
      }),
    },
    Boolean(input.team),
  );
  add(
    {
      id: 'system',
      title: 'Your team owns a System',
      message: system
        ? `System ${ref(system)} is owned by the team.`
        : 'The team owns no System yet: the monorepo template creates one.',
      entityRefs: systems.map(ref),
      action: template(
        'Create the monorepo and its System',
        templates.monorepo,
        { owner },
      ),
    },
    Boolean(system),
    team,
  );
  const monorepo = add(
    {
      id: 'monorepo',
      title: 'A Go monorepo is registered',
      message: monorepos.length
        ? `Monorepo ${
            monorepos[0].metadata.annotations![ANNOTATION_MONOREPO]
          } is registered.`
        : 'No entity of the team carries golden-path.dev/monorepo: create the monorepo from its template.',
      entityRefs: monorepos.map(ref),
      action: template('Create the Go monorepo', templates.monorepo, {
        owner,
        ...(system ? { system: ref(system) } : {}),
      }),
    },
    monorepos.length > 0,
    team,
  );
  const service = add(
    {
      id: 'service',
      title: 'A first service is registered',
      message: firstService
        ? `Service ${ref(firstService)} is registered.`
        : 'No Go service of the team yet: add one with the Go service template.',
      entityRefs: services.map(ref),
      action: template('Add a Go service', templates.service, {
        owner,
        ...(system ? { system: ref(system) } : {}),
      }),
    },
    Boolean(firstService),
    monorepo,
  );

  const insights = input.insights;
  const insightsError =
    insights && 'error' in insights ? insights.error : undefined;
  const found = insights && !('error' in insights) ? insights : undefined;
  const afterService = (
    id: OnboardingStep['id'],
    title: string,
    evaluate: (i: GoServiceInsights) => { done: boolean; message: string },
    action: (serviceRef: string) => OnboardingAction,
  ) => {
    if (service.status !== 'done' || !firstService) {
      add(
        { id, title, message: 'Waits for the first service.' },
        false,
        service,
      );
      return;
    }
    const serviceRef = ref(firstService);
    if (!found) {
      steps.push({
        id,
        title,
        status: 'unknown',
        message: `Insights of ${serviceRef} could not be read: ${
          insightsError ?? 'no insights'
        }.`,
        entityRefs: [serviceRef],
        action: {
          type: 'entity',
          title: 'Open the service',
          entityRef: serviceRef,
          tab: 'architecture',
        },
      });
      return;
    }
    const r = evaluate(found);
    add(
      {
        id,
        title,
        message: r.message,
        entityRefs: [serviceRef],
        action: action(serviceRef),
      },
      r.done,
    );
  };

  afterService(
    'migrations',
    'Its migrations are applied in the first environment',
    i => {
      const env = i.migrations.environments[0];
      if (!env)
        return {
          done: false,
          message:
            'No migration environment is configured in app-config (goldenPath.insights.migrations).',
        };
      const pending = env.versions.filter(
        v => v.state !== 'applied' && v.state !== 'baseline',
      ).length;
      const count = env.versions.length;
      if (env.status === 'ok')
        return { done: true, message: appliedText(count, env.name) };
      if (env.status === 'error')
        return {
          done: false,
          message: `${env.name} could not be read: ${
            env.message ?? 'unknown error'
          }.`,
        };
      return {
        done: false,
        message: `${env.name}: ${env.status}, ${pending} of ${count} ${
          count === 1 ? 'migration' : 'migrations'
        } not applied.`,
      };
    },
    () => ({ type: 'docs', title: 'Run the migrations', path: 'migrations' }),
  );
  afterService(
    'dependency-rule',
    'No dependency-rule violations',
    i =>
      i.layers.violations.length === 0
        ? { done: true, message: 'Every import points inwards.' }
        : {
            done: false,
            message: `${counted(
              i.layers.violations.length,
              'import breaks',
              'imports break',
            )} the dependency rule, first: ${i.layers.violations[0].path}:${
              i.layers.violations[0].line
            } (${i.layers.violations[0].rule}).`,
          },
    serviceRef => ({
      type: 'entity',
      title: 'See the violations',
      entityRef: serviceRef,
      tab: 'architecture',
    }),
  );
  afterService(
    'proto-lint',
    'Its proto API follows the conventions',
    i => {
      const problems = i.protos.files.flatMap(f => [
        ...(f.parseError ? [{ message: f.parseError.message }] : []),
        ...f.problems.filter(p => p.severity === 'error'),
      ]);
      return problems.length === 0
        ? {
            done: true,
            message: `${counted(
              i.protos.files.length,
              'proto file',
            )}, no findings.`,
          }
        : {
            done: false,
            message: `${counted(problems.length, 'finding')}, first: ${
              problems[0].message
            }`,
          };
    },
    serviceRef => ({
      type: 'entity',
      title: 'See the proto findings',
      entityRef: serviceRef,
      tab: 'architecture',
    }),
  );

  const done = steps.filter(s => s.status === 'done').length;
  return { teamRef: owner, steps, done, total: steps.length };
}

function parseName(entityRef: string): string {
  return entityRef.replace(/^.*[:/]/, '');
}
