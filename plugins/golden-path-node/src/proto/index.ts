export {
  DEFAULT_MAX_PROTO_BYTES,
  ProtoSyntaxError,
  tokenizeProto,
} from './tokenizer';
export type { ProtoToken, ProtoTokenKind } from './tokenizer';
export { parseProto } from './parser';
export type {
  ProtoEnum,
  ProtoEnumValue,
  ProtoField,
  ProtoFile,
  ProtoMessage,
  ProtoOption,
  ProtoPosition,
  ProtoReserved,
  ProtoRpc,
  ProtoService,
} from './parser';
export {
  checkProtoConventions,
  expectedProtoNames,
  RPC_VERBS,
  toUpperSnake,
} from './conventions';
export type { ProtoConventionOptions } from './conventions';
export { analyzeProtos } from './analyzeProtos';
export { resolveProtoImport, resolveProtoTypes } from './resolve';
export type { ProtoResolution } from './resolve';
