import { explainValues } from './explainValues';

const parameters = [
  {
    required: ['projectName'],
    properties: {
      projectName: {
        type: 'string',
        pattern: '^[a-z]+$',
        'ui:help': 'Lowercase letters only.',
      },
    },
  },
  {
    required: ['publishTo'],
    properties: { publishTo: { type: 'string', enum: ['github', 'local'] } },
    dependencies: {
      publishTo: {
        oneOf: [
          {
            properties: {
              publishTo: { const: 'github' },
              repoUrl: { type: 'string' },
            },
            required: ['repoUrl'],
          },
          {
            properties: {
              publishTo: { const: 'local' },
              localPath: {
                type: 'string',
                pattern: '^[a-z0-9-]+$',
                'ui:help': 'One directory name.',
              },
            },
            required: ['localPath'],
          },
        ],
      },
    },
  },
];

describe('explainValues', () => {
  it('accepts valid values', () => {
    expect(
      explainValues(parameters, {
        projectName: 'shop',
        publishTo: 'local',
        localPath: 'shop',
      }),
    ).toEqual([]);
  });

  it('names the field and its help for a pattern mismatch', () => {
    expect(
      explainValues(parameters, {
        projectName: 'My Shop',
        publishTo: 'github',
        repoUrl: 'x',
      }),
    ).toEqual([
      'projectName must match pattern "^[a-z]+$" — Lowercase letters only.',
    ]);
  });

  it('explains a failed oneOf dependency by the field inside the branch', () => {
    const messages = explainValues(parameters, {
      projectName: 'shop',
      publishTo: 'local',
      localPath: '../x',
    });
    expect(messages).toContain(
      'localPath must match pattern "^[a-z0-9-]+$" — One directory name.',
    );
    expect(messages.join()).not.toMatch(/oneOf|exactly one/);
  });

  it('names a missing required field', () => {
    expect(
      explainValues(parameters, { publishTo: 'github', repoUrl: 'x' }),
    ).toEqual(["projectName must have required property 'projectName'"]);
  });
});
