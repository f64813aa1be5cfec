export {
  NOT_SERVICES,
  dependencyCycleProblem,
  dependencyNameProblem,
  findDependencyPath,
} from './dependencyName';
export { goServiceDependencyProblem } from './goServiceGraph';
export type { GoServiceDependencyCheck, GoServiceNode } from './goServiceGraph';
