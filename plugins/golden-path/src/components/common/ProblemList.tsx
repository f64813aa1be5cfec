import { Flex, Text } from '@backstage/ui';
import type { InsightProblem } from '@golden-path/plugin-golden-path-common';
import { StatusChip } from './StatusChip';

/** `path:line:column` of a finding, or undefined when it has no place. */
export function formatPlace(problem: {
  path?: string;
  line?: number;
  column?: number;
}): string | undefined {
  if (!problem.path) return undefined;
  let place = problem.path;
  if (problem.line) place += `:${problem.line}`;
  if (problem.line && problem.column) place += `:${problem.column}`;
  return place;
}

/** A list of findings with their severity and place. */
export function ProblemList(props: {
  problems: InsightProblem[];
  label: string;
  emptyText?: string;
}) {
  const { problems, label, emptyText } = props;
  if (problems.length === 0) {
    return emptyText ? (
      <Text variant="body-small" color="secondary">
        {emptyText}
      </Text>
    ) : null;
  }
  return (
    <Flex direction="column" gap="1" aria-label={label} role="list">
      {problems.map((problem, i) => {
        const place = formatPlace(problem);
        return (
          <Flex
            key={`${problem.code}-${place ?? ''}-${i}`}
            gap="2"
            align="center"
            role="listitem"
          >
            <StatusChip status={problem.severity} />
            <Text variant="body-small">
              {problem.message}
              {place ? (
                <>
                  {' '}
                  <Text as="span" variant="body-small" color="secondary">
                    ({place})
                  </Text>
                </>
              ) : null}
            </Text>
            <Text as="span" variant="body-x-small" color="secondary">
              {problem.code}
            </Text>
          </Flex>
        );
      })}
    </Flex>
  );
}
