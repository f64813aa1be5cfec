export {
  moduleProblems,
  SUPPORTED_GO_VERSIONS,
  TemplateValuesError,
  validateMonorepoValues,
} from './validateMonorepoValues';
export type { MonorepoValues } from './validateMonorepoValues';
export { finalStatesOf, validateServiceValues } from './validateServiceValues';
export type {
  ServiceField,
  ServiceTransition,
  ServiceValues,
} from './validateServiceValues';
export {
  formatGoDuration,
  jobPackage,
  jobProblems,
  validateJobs,
} from './validateJobs';
export type { JobServiceContext, ServiceJob } from './validateJobs';
export {
  CronScheduleError,
  nextActivation,
  parseCronSchedule,
  schedulePeriod,
} from './cronSchedule';
export type { CronSchedule } from './cronSchedule';
export { aggregateNames, pluralizeAggregate, snakeCase } from './plural';
export type { AggregateNames } from './plural';
export { GO_KEYWORDS, GO_PREDECLARED } from './goKeywords';
