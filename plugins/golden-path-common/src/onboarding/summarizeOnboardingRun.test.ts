import {
  OnboardingTask,
  OnboardingTaskEvent,
  summarizeOnboardingRun,
} from './summarizeOnboardingRun';

const steps = [
  'plan',
  'plan-service',
  'team',
  'fetch-base',
  'publish-github',
  'publish-local',
  'register-team-github',
  'register-github',
  'register-team-local',
  'register-local',
  'register-service-local',
].map(id => ({
  id,
  name: id === 'register-local' ? 'Register the monorepo' : `Step ${id}`,
}));

function task(
  status: string,
  parameters: Record<string, unknown>,
): OnboardingTask {
  return {
    id: 't1',
    status,
    createdAt: '2026-11-25T00:00:00Z',
    spec: { steps, parameters },
  };
}
const done = (...ids: string[]): OnboardingTaskEvent[] =>
  ids.map(stepId => ({
    type: 'log',
    body: { stepId, status: 'completed', message: 'Finished step' },
  }));
const local = {
  teamName: 'team-x',
  publishTo: 'local',
  localPath: 'x-platform',
  createService: true,
  service: { name: 'pay' },
};

describe('summarizeOnboardingRun', () => {
  it('names what a run published but did not register, with the descriptors to register', () => {
    const run = summarizeOnboardingRun(task('failed', local), [
      ...done(
        'plan',
        'plan-service',
        'team',
        'fetch-base',
        'publish-local',
        'register-team-local',
      ),
      {
        type: 'log',
        body: {
          stepId: 'publish-github',
          status: 'skipped',
          message: 'Skipping',
        },
      },
      {
        type: 'log',
        body: {
          stepId: 'register-local',
          status: 'processing',
          message: 'Beginning step',
        },
      },
      {
        type: 'log',
        body: {
          stepId: 'register-local',
          status: 'failed',
          message:
            'Error: system:default/x was registered but is not readable yet\n    at x (y.js:1)',
        },
      },
    ]);
    expect(run.status).toBe('failed');
    expect(run.stoppedAt).toEqual({
      id: 'register-local',
      title: 'Register the monorepo',
      message: 'system:default/x was registered but is not readable yet',
    });
    expect(run.publishedTo).toBe('x-platform (under the local publish root)');
    expect(run.unregistered).toEqual([
      {
        what: 'the monorepo and its System',
        catalogInfoPath: 'catalog-info.yaml',
      },
      {
        what: 'the first service',
        catalogInfoPath: 'services/pay-service/catalog-info.yaml',
      },
    ]);
    expect(run.message).toBe(
      'The onboarding run of team-x failed at "Register the monorepo": system:default/x was registered but is not readable yet. ' +
        'It published x-platform (under the local publish root) but did not register the monorepo and its System, the first service: ' +
        'register catalog-info.yaml, services/pay-service/catalog-info.yaml there, or remove what it published and run the template again.',
    );
  });

  it('a run stopped before publishing left nothing behind', () => {
    const run = summarizeOnboardingRun(
      task('failed', { ...local, createService: false }),
      [
        ...done('plan'),
        {
          type: 'log',
          body: {
            stepId: 'team',
            status: 'failed',
            message:
              'InputError: the team group:default/team-x already exists: pick another name',
          },
        },
      ],
    );
    expect(run.publishedTo).toBeUndefined();
    expect(run.unregistered).toEqual([]);
    expect(run.message).toBe(
      'The onboarding run of team-x failed at "Step team": the team group:default/team-x already exists: pick another name. Nothing was published; fix the cause and run the template again.',
    );
  });

  it('a cancelled GitHub run lists only the GitHub registrations (the Location registers the service)', () => {
    const run = summarizeOnboardingRun(
      task('cancelled', {
        ...local,
        publishTo: 'github',
        repoUrl: 'github.com?owner=acme&repo=x',
      }),
      [
        ...done('plan', 'team', 'fetch-base', 'publish-github'),
        {
          type: 'log',
          body: {
            stepId: 'register-team-github',
            status: 'cancelled',
            message: 'Step register-team-github has been cancelled.',
          },
        },
      ],
    );
    expect(run.status).toBe('cancelled');
    expect(run.stoppedAt?.id).toBe('register-team-github');
    expect(run.unregistered.map(u => u.catalogInfoPath)).toEqual([
      'org/team-x.yaml',
      'catalog-info.yaml',
    ]);
    expect(run.message).toMatch(
      /^The onboarding run of team-x was cancelled at "Step register-team-github"\. It published github\.com\?owner=acme&repo=x but did not register the team, the monorepo and its System/,
    );
  });

  it('a step cancelled while it ran makes the run cancelled, even when the task says failed', () => {
    const run = summarizeOnboardingRun(
      task('failed', { ...local, createService: false }),
      [
        ...done('plan', 'team', 'fetch-base', 'publish-local'),
        {
          type: 'log',
          body: {
            stepId: 'register-team-local',
            status: 'processing',
            message: 'Beginning step',
          },
        },
        {
          type: 'log',
          body: {
            stepId: 'register-team-local',
            status: 'cancelled',
            message: 'Step register-team-local has been cancelled.',
          },
        },
        {
          type: 'log',
          body: {
            stepId: 'register-team-local',
            status: 'failed',
            message: 'Error: cancelled while waiting for the catalog',
          },
        },
        {
          type: 'log',
          body: {
            stepId: 'register-local',
            status: 'skipped',
            message:
              'Skipping step register-local because a previous step failed',
          },
        },
      ],
    );
    expect(run.status).toBe('cancelled');
    expect(run.stoppedAt).toEqual({
      id: 'register-team-local',
      title: 'Step register-team-local',
      message: undefined,
    });
    expect(run.unregistered.map(u => u.what)).toEqual([
      'the team',
      'the monorepo and its System',
    ]);
    expect(run.message).toMatch(
      /^The onboarding run of team-x was cancelled at "Step register-team-local"\. It published x-platform/,
    );
  });

  it('leaves out what the catalog already holds (a registration cut short may have added its location)', () => {
    const run = summarizeOnboardingRun(
      task('cancelled', { ...local, projectName: 'x-platform' }),
      [
        ...done('plan', 'team', 'fetch-base', 'publish-local'),
        {
          type: 'log',
          body: {
            stepId: 'register-team-local',
            status: 'cancelled',
            message: 'cancelled',
          },
        },
      ],
      ref => ref === 'group:default/team-x',
    );
    expect(run.unregistered).toEqual([
      {
        what: 'the monorepo and its System',
        catalogInfoPath: 'catalog-info.yaml',
      },
      {
        what: 'the first service',
        catalogInfoPath: 'services/pay-service/catalog-info.yaml',
      },
    ]);
  });

  it('a run that registered everything before failing says so', () => {
    const run = summarizeOnboardingRun(
      task('failed', { ...local, createService: false }),
      [
        ...done(
          'plan',
          'team',
          'fetch-base',
          'publish-local',
          'register-team-local',
          'register-local',
        ),
      ],
    );
    expect(run.unregistered).toEqual([]);
    expect(run.message).toBe(
      'The onboarding run of team-x failed. It published x-platform (under the local publish root), and everything it publishes is in the catalog.',
    );
  });
});
