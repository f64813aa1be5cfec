import { useMemo } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { FormValues } from './rules';
import { useGoServices } from './useGoServices';

/**
 * What the Go service pickers share: the props of their ScaffolderField frame
 * (errors, description, required, disabled), the catalog's Go services (none
 * while loading), whether they are loading, the form's values (the System
 * and service the options depend on), and the helper text when the catalog
 * could not be read.
 */
export function useGoServiceField(
  props:
    | FieldExtensionComponentProps<string>
    | FieldExtensionComponentProps<string[]>,
) {
  const {
    schema: { description },
    uiSchema,
    required,
    rawErrors,
    errors,
    formContext,
    disabled,
  } = props;
  const { value, loading, error } = useGoServices();
  const services = useMemo(() => value ?? [], [value]);
  return {
    field: {
      rawErrors,
      rawDescription: uiSchema?.['ui:description'] ?? description,
      required,
      disabled,
      errors,
    },
    services,
    loading,
    form: formContext?.formData as FormValues,
    helperText: error
      ? `The catalog could not be read: ${error.message}`
      : undefined,
  };
}
