import { useEffect, useMemo, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import { dependencyOptions } from './rules';
import { useGoServiceField } from './useGoServiceField';

/**
 * The service to call of the "Add a dependency" template (`ui:field:
 * GoServiceDependencyPicker`): offers the Go services of the monorepo of the
 * form's `service` that it may call (not itself, not one it calls already,
 * none that would close a cycle) and takes a typed Component ref or name too,
 * which the field's validation checks against the catalog before the form
 * goes on.
 */
export const GoServiceDependencyPicker = (
  props: FieldExtensionComponentProps<string>,
) => {
  const {
    onChange,
    schema: { title = 'Service to call' },
    required,
    formData,
    idSchema,
    disabled,
  } = props;
  const { field, services, loading, form, helperText } =
    useGoServiceField(props);
  const options = useMemo(
    () => dependencyOptions(form, services),
    [form, services],
  );
  // A chosen ref shows as its entity name, typed text as it is.
  const labels = useMemo(
    () => new Map(services.map(s => [s.ref, s.entityName])),
    [services],
  );
  const [input, setInput] = useState(formData ?? '');
  useEffect(() => {
    setInput(labels.get(formData ?? '') ?? formData ?? '');
  }, [formData, labels]);
  return (
    <ScaffolderField {...field}>
      <Autocomplete
        id={idSchema?.$id}
        freeSolo
        disabled={disabled}
        loading={loading}
        options={options.map(o => o.ref)}
        value={formData ?? ''}
        getOptionLabel={o => labels.get(o) ?? o}
        onChange={(_e, v) => onChange(v || undefined)}
        inputValue={input}
        onInputChange={(_e, text, reason) => {
          if (reason !== 'input') return;
          setInput(text);
          onChange(text || undefined);
        }}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            helperText={helperText}
          />
        )}
      />
    </ScaffolderField>
  );
};
