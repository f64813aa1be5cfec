import pluralize from 'pluralize';

/**
 * The plural of a PascalCase aggregate name, from the pluralize inflection
 * library (irregular nouns, -y, -s, -x, -ch, -is endings, uncountables):
 * only the last word changes, LedgerEntry -> LedgerEntries, Person -> People.
 * An uncountable noun (Sheep, Equipment) comes back unchanged.
 *
 * @public
 */
export function pluralizeAggregate(aggregate: string): string {
  const m = /^(.*?)([A-Z][a-z0-9]*)$/.exec(aggregate);
  if (!m) return pluralize(aggregate);
  return m[1] + pluralize(m[2]);
}

/** snake_case of a PascalCase name: LedgerEntries -> ledger_entries. */
export function snakeCase(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The names the Go service template derives from the aggregate's plural. */
export interface AggregateNames {
  /** PascalCase plural: List<plural> RPC, sqlc query and messages. */
  plural: string;
  /** The table, snake_case of the plural. */
  table: string;
  /** Whether the plural was given (aggregatePlural) rather than computed. */
  given: boolean;
}

/**
 * The plural and table of the Go service template: aggregatePlural when it is
 * given (not empty), else pluralizeAggregate(aggregate).
 *
 * @public
 */
export function aggregateNames(
  aggregate: string,
  aggregatePlural?: string,
): AggregateNames {
  const given =
    typeof aggregatePlural === 'string' && aggregatePlural.trim() !== '';
  const plural = given
    ? aggregatePlural!.trim()
    : pluralizeAggregate(aggregate);
  return { plural, table: snakeCase(plural), given };
}
