export { checkServiceEntity, goServiceEntities } from './goServiceEntities';
export type { GoServiceEntitiesSpec } from './goServiceEntities';
