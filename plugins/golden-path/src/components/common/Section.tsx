import type { ReactNode } from 'react';
import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';

/** A titled card holding one part of the insights. */
export function Section(props: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card aria-label={props.title}>
      <CardHeader>
        <Flex justify="between" align="center">
          <Flex direction="column" gap="0.5">
            <Text as="h2" variant="title-small">
              {props.title}
            </Text>
            {props.subtitle ? (
              <Text variant="body-small" color="secondary">
                {props.subtitle}
              </Text>
            ) : null}
          </Flex>
          {props.actions}
        </Flex>
      </CardHeader>
      <CardBody>
        <Flex direction="column" gap="4">
          {props.children}
        </Flex>
      </CardBody>
    </Card>
  );
}
