import { aggregateNames, pluralizeAggregate, snakeCase } from './plural';

describe('pluralizeAggregate', () => {
  it.each([
    ['Entry', 'Entries'],
    ['LedgerEntry', 'LedgerEntries'],
    ['Address', 'Addresses'],
    ['Category', 'Categories'],
    ['Status', 'Statuses'],
    ['Person', 'People'],
    ['SalesPerson', 'SalesPeople'],
    ['Index', 'Indices'],
    ['Box', 'Boxes'],
    ['Child', 'Children'],
    ['Quiz', 'Quizzes'],
    ['Analysis', 'Analyses'],
    ['Match', 'Matches'],
    ['Wish', 'Wishes'],
    ['Bus', 'Buses'],
    ['Hero', 'Heroes'],
    ['Leaf', 'Leaves'],
    ['Knife', 'Knives'],
    ['Mouse', 'Mice'],
    ['Criterion', 'Criteria'],
    ['Crisis', 'Crises'],
    ['Day', 'Days'],
    ['Policy', 'Policies'],
    ['TaxRate', 'TaxRates'],
    ['Order', 'Orders'],
    ['OrderLine', 'OrderLines'],
    ['Batch', 'Batches'],
    ['Tooth', 'Teeth'],
  ])('%s -> %s', (singular, plural) => {
    expect(pluralizeAggregate(singular)).toBe(plural);
  });

  it.each(['Sheep', 'Equipment', 'Information', 'News'])(
    'leaves the uncountable %s unchanged',
    noun => {
      expect(pluralizeAggregate(noun)).toBe(noun);
    },
  );
});

describe('aggregateNames', () => {
  it('computes plural and table', () => {
    expect(aggregateNames('LedgerEntry')).toEqual({
      plural: 'LedgerEntries',
      table: 'ledger_entries',
      given: false,
    });
    expect(aggregateNames('Person', '')).toEqual({
      plural: 'People',
      table: 'people',
      given: false,
    });
  });

  it('takes a given plural over the computed one', () => {
    expect(aggregateNames('Index', 'Indexes')).toEqual({
      plural: 'Indexes',
      table: 'indexes',
      given: true,
    });
  });

  it('snake_cases PascalCase', () => {
    expect(snakeCase('OrderLines2')).toBe('order_lines2');
  });
});
