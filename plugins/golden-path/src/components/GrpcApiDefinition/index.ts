export { GrpcApiDefinition } from './GrpcApiDefinition';
export { readDefinition, MAX_DEFINITION_BYTES } from './readDefinition';
export type { DefinitionReading } from './readDefinition';
