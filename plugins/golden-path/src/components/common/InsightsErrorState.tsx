import { Alert, Box, Button, Flex, Text } from '@backstage/ui';
import { ResponseError } from '@backstage/errors';
import {
  ANNOTATION_GO_SERVICE,
  goldenPathInsightsReadPermission,
} from '@golden-path/plugin-golden-path-common';

/** What went wrong loading the insights, and what to do about it. */
export interface InsightsErrorExplanation {
  kind: 'permission' | 'source' | 'not-found' | 'backend';
  title: string;
  /** The backend's own message (never HTML). */
  message: string;
  hint: string;
}

/** Turns an error of the insights API into words telling what to fix. */
export function explainInsightsError(error: Error): InsightsErrorExplanation {
  const status = error instanceof ResponseError ? error.statusCode : undefined;
  const message =
    error instanceof ResponseError
      ? error.body?.error?.message ?? error.message
      : error.message;
  if (status === 403 && /may not read the insights/i.test(message)) {
    return {
      kind: 'permission',
      title: 'Permission denied',
      message,
      hint: `Ask an administrator for the ${goldenPathInsightsReadPermission.name} permission on this entity.`,
    };
  }
  if (status === 400 || status === 403) {
    return {
      kind: 'source',
      title: "The service's source cannot be read",
      message,
      hint: `Check backstage.io/source-location (url:… or dir:…) and ${ANNOTATION_GO_SERVICE} in catalog-info.yaml; dir: locations must sit under goldenPath.insights.localRoots.`,
    };
  }
  if (status === 404) {
    return {
      kind: 'not-found',
      title: 'Entity not found by the insights backend',
      message,
      hint: 'The catalog may not have processed this entity yet, or you may not see it. Refresh the entity and try again.',
    };
  }
  return {
    kind: 'backend',
    title: 'The insights could not be loaded',
    message,
    hint: "Is the golden-path backend installed? backend.add(import('@golden-path/plugin-golden-path-backend')) in packages/backend/src/index.ts.",
  };
}

/** The error state of the Architecture tab and card. */
export function InsightsErrorState(props: {
  error: Error;
  onRetry?: () => void;
}) {
  const explanation = explainInsightsError(props.error);
  return (
    <Alert
      status={explanation.kind === 'permission' ? 'warning' : 'danger'}
      icon
      title={explanation.title}
      data-error-kind={explanation.kind}
      description={
        <Flex direction="column" gap="1">
          <Text variant="body-small">{explanation.message}</Text>
          <Text variant="body-small" color="secondary">
            {explanation.hint}
          </Text>
        </Flex>
      }
      customActions={
        props.onRetry ? (
          <Button size="small" variant="secondary" onPress={props.onRetry}>
            Retry
          </Button>
        ) : undefined
      }
    />
  );
}

/** Shown on a Component without the go-service annotation. */
export function MissingAnnotationState() {
  return (
    <Alert
      status="info"
      icon
      title="Not a Golden Path Go service"
      data-error-kind="annotation"
      description={
        <Flex direction="column" gap="2">
          <Text variant="body-small">
            Add {ANNOTATION_GO_SERVICE} to catalog-info.yaml, with the service's
            directory in its repository as the value:
          </Text>
          <Box
            as="pre"
            p="2"
            style={{
              margin: 0,
              fontFamily: 'monospace',
              fontSize: '0.8rem',
              background: 'var(--bui-bg-neutral-2)',
              borderRadius: 4,
            }}
          >
            {`metadata:\n  annotations:\n    ${ANNOTATION_GO_SERVICE}: services/order-service\n    backstage.io/source-location: url:https://github.com/acme/shop/tree/main/`}
          </Box>
        </Flex>
      }
    />
  );
}
