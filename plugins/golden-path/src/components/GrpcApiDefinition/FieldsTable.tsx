import { Cell, CellText, Table, Text, type ColumnConfig } from '@backstage/ui';
import type { ProtoField } from '@golden-path/plugin-golden-path-common';
import { SourceLineLink } from './SourceLineLink';
import { TypeName } from './TypeName';
import type { TypeIndex } from './typeIndex';

type FieldRow = ProtoField & { id: number };

/** The type of a field as written in the proto: `repeated Item`, `map<string, int64>`. */
export function writtenType(field: ProtoField): string {
  if (field.map) return `map<${field.map.keyType}, ${field.map.valueType}>`;
  return field.label ? `${field.label} ${field.type}` : field.type;
}

/** The fields of one message with their types, comments and lines. */
export function FieldsTable(props: {
  fields: ProtoField[];
  /** The message's full name: field types resolve from it. */
  scope: string;
  index: TypeIndex;
  onShowLine: (line: number) => void;
}) {
  const { fields, scope, index, onShowLine } = props;
  if (fields.length === 0) {
    return (
      <Text variant="body-small" color="secondary">
        No fields.
      </Text>
    );
  }
  const columns: ColumnConfig<FieldRow>[] = [
    {
      id: 'number',
      label: '#',
      cell: f => <CellText title={String(f.number)} />,
    },
    {
      id: 'name',
      label: 'Field',
      isRowHeader: true,
      cell: f => (
        <CellText
          title={f.name}
          description={f.oneof ? `oneof ${f.oneof}` : undefined}
        />
      ),
    },
    {
      id: 'type',
      label: 'Type',
      cell: f => (
        <Cell>
          <TypeName
            text={writtenType(f)}
            typeName={f.map ? f.map.valueType : f.type}
            scope={scope}
            index={index}
          />
        </Cell>
      ),
    },
    {
      id: 'comment',
      label: 'Comment',
      cell: f => (
        <Cell>
          <Text
            variant="body-small"
            color={f.comment ? 'primary' : 'secondary'}
            style={{ whiteSpace: 'pre-line' }}
          >
            {f.comment ?? ''}{' '}
            <SourceLineLink line={f.line} onShowLine={onShowLine} />
          </Text>
        </Cell>
      ),
    },
  ];
  return (
    <Table
      columnConfig={columns}
      data={fields.map(f => ({ ...f, id: f.number }))}
      pagination={{ type: 'none' }}
    />
  );
}
