import { TemplateValuesError } from './validateMonorepoValues';
import { finalStatesOf, validateServiceValues } from './validateServiceValues';

const good = {
  name: 'order',
  aggregate: 'Order',
  stage: 'mvp',
  pkgModule: 'github.com/acme/go-pkg',
  fields: [
    { name: 'customer_id', type: 'uuid' },
    { name: 'priority', type: 'enum', values: ['low', 'high'] },
  ],
  states: ['pending', 'confirmed', 'cancelled'],
  transitions: [
    { name: 'confirm', from: 'pending', to: 'confirmed' },
    { name: 'cancel', from: 'pending', to: 'cancelled' },
    { name: 'cancel', from: 'confirmed', to: 'cancelled' },
  ],
};

function problems(patch: Record<string, unknown>): string[] {
  try {
    validateServiceValues({ ...good, ...patch });
  } catch (e) {
    if (e instanceof TemplateValuesError) return e.problems;
    throw e;
  }
  return [];
}

describe('validateServiceValues', () => {
  it('accepts good values', () => {
    expect(problems({})).toEqual([]);
    expect(
      problems({
        aggregate: 'Sheep',
        aggregatePlural: 'SheepFlocks',
        rpcTimeout: '500ms',
      }),
    ).toEqual([]);
    expect(problems({ aggregate: 'LedgerEntry', rpcTimeout: '1h' })).toEqual(
      [],
    );
  });

  it.each([
    [{ name: 'func' }, 'name "func" is reserved'],
    [{ name: 'Order' }, 'name "Order" must be lowercase kebab-case'],
    [{ name: 'a..b' }, 'must be lowercase kebab-case'],
    [{ name: 'a/b' }, 'must be lowercase kebab-case'],
    [{ name: 'ordér' }, 'must be lowercase kebab-case'],
    [
      { name: 'order-service' },
      'must not end in -service: the template adds it (type order)',
    ],
    [{ aggregate: 'order' }, 'aggregate "order" must be PascalCase'],
    [{ aggregate: 'Status' }, 'clashes with a generated type'],
    [{ fields: [] }, 'at least one field'],
    [
      { fields: [{ name: 'id', type: 'string' }] },
      'id is added by the template',
    ],
    [
      { fields: [{ name: 'select', type: 'string' }] },
      'select is a Go keyword or a reserved SQL word',
    ],
    [
      {
        fields: [
          { name: 'a', type: 'string' },
          { name: 'a', type: 'int' },
        ],
      },
      'field names must be unique; a appears twice',
    ],
    [
      { fields: [{ name: 'level', type: 'enum', values: [] }] },
      'an enum needs values',
    ],
    [
      { fields: [{ name: 'level', type: 'float' }] },
      'type "float" must be one of',
    ],
    [
      { transitions: [{ name: 'confirm', from: 'pending', to: 'nowhere' }] },
      'to "nowhere" is not one of the states',
    ],
    [
      { states: [], transitions: [{ name: 'go', from: 'a', to: 'b' }] },
      'transitions need states',
    ],
    [
      { transitions: [{ name: 'get', from: 'pending', to: 'confirmed' }] },
      'get is already an RPC',
    ],
    [
      {
        transitions: [
          { name: 'close', from: 'pending', to: 'confirmed' },
          { name: 'close', from: 'confirmed', to: 'cancelled' },
        ],
      },
      'must lead to the same state (confirmed)',
    ],
    [{ pkgModule: 'go-pkg' }, 'pkgModule'],
    [
      { aggregate: 'Sheep' },
      'aggregate "Sheep": its plural is the same word (Sheep)',
    ],
    [
      { aggregate: 'Category', aggregatePlural: 'Category' },
      'aggregatePlural "Category" is the aggregate itself',
    ],
    [
      { aggregatePlural: 'orders' },
      'aggregatePlural "orders" must be PascalCase',
    ],
    [
      { aggregate: 'OutboxEvent' },
      'its table outbox_events is one the template adds',
    ],
    [
      { finalStates: ['shipped'] },
      'finalStates[0] "shipped" is not one of the states (pending, confirmed, cancelled)',
    ],
    [
      { finalStates: ['pending'] },
      'finalStates[0] "pending" is the initial status',
    ],
    [
      {
        states: ['pending', 'confirmed', 'cancelled', 'lost'],
        finalStates: ['lost'],
      },
      'finalStates[0] "lost" cannot be reached from pending by the transitions',
    ],
    [{ finalStates: ['cancelled', 'cancelled'] }, 'finalStates must be unique'],
    [
      { states: [], transitions: [], finalStates: ['done'] },
      'finalStates need states',
    ],
    [
      { fields: [{ name: 'version', type: 'int' }] },
      'version is added by the template',
    ],
    [
      { rpcTimeout: '0s' },
      'rpcTimeout "0s" must be a Go duration in one unit from 100ms to 1h',
    ],
    [{ rpcTimeout: '2d' }, 'rpcTimeout "2d" must be a Go duration'],
    [{ rpcTimeout: '90m' }, 'rpcTimeout "90m" must be a Go duration'],
    [
      { jobs: [{ name: 'func', schedule: '@hourly', timeout: '1m' }] },
      'jobs[0] "func": func is a Go keyword',
    ],
    [
      { jobs: [{ name: 'sweep', schedule: '*/5 * * * *', timeout: '10m' }] },
      'timeout 10m is longer than 5m0s',
    ],
    [
      {
        aggregate: 'JobRun',
        jobs: [{ name: 'sweep', schedule: '@hourly', timeout: '1m' }],
      },
      'JobRun, JobRunStatus would clash with the job API',
    ],
  ])('refuses %j', (patch, message) => {
    expect(problems(patch).join('\n')).toContain(message);
  });
});

describe('finalStatesOf', () => {
  it('defaults to the states no transition leaves', () => {
    expect(finalStatesOf(good)).toEqual(['cancelled']);
    expect(finalStatesOf({ ...good, finalStates: [] })).toEqual([]);
    expect(finalStatesOf({ states: [] })).toEqual([]);
  });
});
