export { addGoWorkUse } from './addGoWorkUse';
export { GO_KEYWORDS } from './goKeywords';
export {
  validateMonorepoValues,
  moduleProblems,
  TemplateValuesError,
  SUPPORTED_GO_VERSIONS,
} from './validateMonorepoValues';
export type { MonorepoValues } from './validateMonorepoValues';
