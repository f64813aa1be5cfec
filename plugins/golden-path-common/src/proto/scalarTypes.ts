/**
 * The scalar value types of protobuf: a field of one of these types names
 * no message or enum, so type resolution skips it.
 *
 * @public
 */
export const PROTO_SCALAR_TYPES: ReadonlySet<string> = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);
