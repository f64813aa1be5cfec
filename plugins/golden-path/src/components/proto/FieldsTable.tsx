import { CellText, Table, Text, type ColumnConfig } from '@backstage/ui';

/** What every proto field row shows: number, name and oneof. */
export interface FieldShape {
  number: number;
  name: string;
  oneof?: string;
}

/**
 * The fields of one message: number and name columns, then `typeColumns`
 * (type, comment…); "No fields." when there are none.
 */
export function FieldsTable<F extends FieldShape>(props: {
  fields: F[];
  typeColumns: ColumnConfig<F & { id: number }>[];
}) {
  const { fields, typeColumns } = props;
  if (fields.length === 0) {
    return (
      <Text variant="body-small" color="secondary">
        No fields.
      </Text>
    );
  }
  const columns: ColumnConfig<F & { id: number }>[] = [
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
    ...typeColumns,
  ];
  return (
    <Table
      columnConfig={columns}
      data={fields.map(f => ({ ...f, id: f.number }))}
      pagination={{ type: 'none' }}
    />
  );
}
