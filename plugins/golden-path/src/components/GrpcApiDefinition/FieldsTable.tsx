import { Cell, Text, type ColumnConfig } from '@backstage/ui';
import type { ProtoField } from '@golden-path/plugin-golden-path-common';
import { FieldsTable as ProtoFieldsTable } from '../proto/FieldsTable';
import { writtenType } from '../proto/rpcText';
import { SourceLineLink } from './SourceLineLink';
import { TypeName } from './TypeName';
import type { TypeIndex } from './typeIndex';

type FieldRow = ProtoField & { id: number };

/** The fields of one message with their types, comments and lines. */
export function FieldsTable(props: {
  fields: ProtoField[];
  /** The message's full name: field types resolve from it. */
  scope: string;
  index: TypeIndex;
  onShowLine: (line: number) => void;
}) {
  const { fields, scope, index, onShowLine } = props;
  const typeColumns: ColumnConfig<FieldRow>[] = [
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
  return <ProtoFieldsTable fields={fields} typeColumns={typeColumns} />;
}
