import { sampleInsights } from '../__fixtures__/fleetInsights';
import {
  compareTemplateVersion,
  parseRecordedTemplateVersion,
  summarizeInsights,
} from './fleetSummary';

describe('summarizeInsights', () => {
  it('counts violations, serious problems and migration states per environment', () => {
    expect(summarizeInsights(sampleInsights())).toEqual({
      analysedAt: '2026-12-04T10:00:00.000Z',
      dependencyViolations: 1,
      layoutProblems: 1,
      protoProblems: 2,
      migrationProblems: 1,
      atlasSum: 'mismatch',
      migrations: [
        {
          name: 'dev',
          status: 'pending',
          pending: 2,
          failed: 0,
          currentVersion: '0001',
        },
        { name: 'prod', status: 'failed', pending: 0, failed: 2 },
      ],
    });
  });

  it('is small: well under a kilobyte for a service with findings', () => {
    expect(
      JSON.stringify(summarizeInsights(sampleInsights())).length,
    ).toBeLessThan(1024);
  });
});

describe('parseRecordedTemplateVersion', () => {
  it('reads templateVersion as the Go service template records it', () => {
    expect(
      parseRecordedTemplateVersion(
        JSON.stringify({
          template: 'go-service',
          templateVersion: {
            name: 'go-service',
            version: '1.0.0',
            revision: `sha256-${'a'.repeat(64)}`,
          },
        }),
      ),
    ).toEqual({
      name: 'go-service',
      version: '1.0.0',
      revision: `sha256-${'a'.repeat(64)}`,
    });
  });

  it('is undefined for a service made before versions were recorded', () => {
    expect(parseRecordedTemplateVersion('{"values":{}}')).toBeUndefined();
  });

  it('refuses what the template does not write, in one line', () => {
    expect(() => parseRecordedTemplateVersion('{nope')).toThrow(
      /^\.golden-path\/values\.json is not JSON \(/,
    );
    expect(() =>
      parseRecordedTemplateVersion('{"templateVersion":"1.0.0"}'),
    ).toThrow(/templateVersion is not \{ name, version, revision \}/);
    expect(() =>
      parseRecordedTemplateVersion(
        '{"templateVersion":{"name":"","version":"1"}}',
      ),
    ).toThrow(/templateVersion is not/);
  });
});

describe('compareTemplateVersion', () => {
  const recorded = { name: 'go-service', version: '1.0.0' };
  it('says whether the service is behind the current version', () => {
    expect(compareTemplateVersion(recorded, '1.1.0')).toEqual({
      name: 'go-service',
      recorded: '1.0.0',
      current: '1.1.0',
      behind: true,
    });
    expect(compareTemplateVersion(recorded, '1.0.0').behind).toBe(false);
  });
  it('leaves behind out when the current version is unknown', () => {
    expect(compareTemplateVersion(recorded, undefined)).toEqual({
      name: 'go-service',
      recorded: '1.0.0',
    });
  });
});
