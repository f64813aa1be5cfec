import { useMemo, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import { dependenciesOptions } from './rules';
import { useGoServiceField } from './useGoServiceField';

/**
 * The services a new Go service calls (the Go service template's dependsOn,
 * `ui:field: GoServiceDependenciesPicker`): template names without
 * "-service". Offers the Go services of the System chosen in the form (any
 * while none is) and takes typed names too, added on Enter or when the field
 * loses focus; the field's validation checks them against the catalog before
 * the form goes on.
 */
export const GoServiceDependenciesPicker = (
  props: FieldExtensionComponentProps<string[]>,
) => {
  const {
    onChange,
    schema: { title = 'Services it calls' },
    formData,
    idSchema,
    disabled,
  } = props;
  const chosen = useMemo(
    () => (Array.isArray(formData) ? formData : []),
    [formData],
  );
  const [input, setInput] = useState('');
  const { field, services, loading, form, helperText } =
    useGoServiceField(props);
  const options = useMemo(
    () => dependenciesOptions(form, services, chosen).map(o => o.name),
    [form, services, chosen],
  );
  const add = (text: string) => {
    const name = text.trim();
    if (name) onChange([...chosen, name]);
    setInput('');
  };
  return (
    <ScaffolderField {...field}>
      <Autocomplete
        id={idSchema?.$id}
        multiple
        freeSolo
        disabled={disabled}
        loading={loading}
        options={options}
        value={chosen}
        inputValue={input}
        onInputChange={(_e, text, reason) => {
          if (reason === 'input') setInput(text);
        }}
        onChange={(_e, v) => {
          onChange(v.map(s => s.trim()).filter(Boolean));
          setInput('');
        }}
        onBlur={() => {
          if (input.trim()) add(input);
        }}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            placeholder={chosen.length ? undefined : 'order, order-history'}
            helperText={helperText}
          />
        )}
      />
    </ScaffolderField>
  );
};
