export { validateServiceValues, finalStatesOf } from './validateServiceValues';
export type {
  ServiceField,
  ServiceTransition,
  ServiceValues,
} from './validateServiceValues';
export {
  validateJobs,
  jobProblems,
  jobPackage,
  formatGoDuration,
} from './validateJobs';
export type { ServiceJob, JobServiceContext } from './validateJobs';
export {
  parseCronSchedule,
  nextActivation,
  schedulePeriod,
  CronScheduleError,
} from './cronSchedule';
export type { CronSchedule } from './cronSchedule';
export { pluralizeAggregate, aggregateNames, snakeCase } from './plural';
export type { AggregateNames } from './plural';
