import type {
  InsightProblem,
  ProtoEnum,
  ProtoFile,
} from '@golden-path/plugin-golden-path-common';
import { visitMessages } from './visitMessages';

/** What the file is expected to declare, when known (from the service's name). */
export interface ProtoConventionOptions {
  /** Expected package, e.g. `order.v1`. */
  expectedPackage?: string;
  /**
   * The service name suggested in messages, e.g. `OrderService`. Any singular
   * noun + `Service` passes: the template names it after the aggregate.
   */
  expectedService?: string;
  /** File path for the findings. */
  path?: string;
}

/** Verbs an RPC name may start with (Google API design guide plus common ones). */
export const RPC_VERBS = [
  'Get',
  'List',
  'Create',
  'Update',
  'Delete',
  'Batch',
  'Search',
  'Watch',
  'Stream',
  'Set',
  'Add',
  'Remove',
  'Cancel',
  'Confirm',
  'Approve',
  'Reject',
  'Submit',
  'Complete',
  'Start',
  'Stop',
  'Pause',
  'Resume',
  'Check',
  'Validate',
  'Verify',
  'Register',
  'Unregister',
  'Import',
  'Export',
  'Move',
  'Copy',
  'Rename',
  'Undelete',
  'Purge',
  'Sync',
  'Refresh',
  'Reset',
  'Send',
  'Publish',
  'Subscribe',
  'Process',
  'Calculate',
  'Reserve',
  'Release',
  'Assign',
  'Unassign',
  'Archive',
  'Restore',
  'Enable',
  'Disable',
  'Lookup',
  'Count',
  'Upsert',
  'Authorize',
  'Authenticate',
  'Login',
  'Logout',
  'Refund',
  'Pay',
  'Charge',
  'Ship',
  'Deliver',
  'Place',
  'Accept',
  'Close',
  'Open',
  'Lock',
  'Unlock',
  'Issue',
  'Revoke',
  'Grant',
  'Attach',
  'Detach',
  'Mark',
  'Apply',
  'Run',
  'Execute',
  'Generate',
  'Upload',
  'Download',
  'Notify',
  'Query',
  'Fetch',
  'Find',
  'Estimate',
  'Preview',
  'Ping',
];

const TIME_LIKE = /(^|_)(at|time|timestamp|date|datetime)$/;
const TIME_TYPES = new Set([
  'google.protobuf.Timestamp',
  '.google.protobuf.Timestamp',
  'google.protobuf.Duration',
  '.google.protobuf.Duration',
  'google.type.Date',
  '.google.type.Date',
]);
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const LOWER_SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** `OrderStatus` → `ORDER_STATUS`. */
export function toUpperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/** `order-service` → `{ package: 'order.v1', service: 'OrderService' }`. */
export function expectedProtoNames(serviceName: string): {
  package: string;
  service: string;
} {
  const base = serviceName.replace(/[-_]?service$/i, '') || serviceName;
  const words = base.split(/[-_.\s]+/).filter(Boolean);
  return {
    package: `${words.join('').toLowerCase()}.v1`,
    service: `${words
      .map(w => w[0].toUpperCase() + w.slice(1).toLowerCase())
      .join('')}Service`,
  };
}

/**
 * The verb of an RPC named one word + a message of the file, such as a state
 * machine's transitions (`FreezeAccount` with `message Account`): any verb
 * the domain uses, not only the known ones.
 */
function verbBeforeMessage(
  rpcName: string,
  messageNames: string[],
): string | undefined {
  for (const noun of messageNames) {
    if (!rpcName.endsWith(noun) || rpcName.length === noun.length) continue;
    const verb = rpcName.slice(0, -noun.length);
    if (/^[A-Z][a-z]+$/.test(verb)) return verb;
  }
  return undefined;
}

/**
 * Whether the last word of a PascalCase noun reads as a plural (`Orders`,
 * `PaymentMethods`). Words ending in s that are singular are not: acronyms
 * (`Sms`, `Dns`, `Kms`), `-ss`, `-us`, `-is`, `-as`, `-os` (`Address`,
 * `Status`, `Analysis`, `Atlas`) and `-ics` (`Metrics`, `Analytics`).
 */
function looksPlural(noun: string): boolean {
  const word = /[A-Z][a-z0-9]*$/.exec(noun)?.[0] ?? noun;
  return (
    word.length > 3 &&
    word.endsWith('s') &&
    !/(?:ss|us|is|as|os|ics|news|series)$/i.test(word)
  );
}

/**
 * Checks a parsed proto file against the seed's proto design conventions:
 * package `<service>.v1`, one service named `<Noun>Service`, RPCs named verb +
 * noun with `<Rpc>Request`/`<Rpc>Response` messages, enums starting with
 * `<ENUM>_UNSPECIFIED = 0`, `google.protobuf.Timestamp` for times, naming cases.
 */
export function checkProtoConventions(
  file: ProtoFile,
  options: ProtoConventionOptions = {},
): InsightProblem[] {
  const problems: InsightProblem[] = [];
  const path = options.path;
  const add = (
    severity: InsightProblem['severity'],
    code: string,
    message: string,
    at?: { line: number; column: number },
  ) =>
    problems.push({
      severity,
      code,
      message,
      path,
      line: at?.line,
      column: at?.column,
    });

  if (file.syntax !== 'proto3' && !file.edition) {
    add(
      'warning',
      'proto-syntax',
      `syntax is ${
        file.syntax ? `"${file.syntax}"` : 'not declared'
      }; the services use proto3`,
    );
  }
  if (!file.package) {
    add(
      'error',
      'proto-package',
      'the file declares no package; use `<service>.v1`',
    );
  } else if (
    !/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.v\d+((alpha|beta)\d*)?$/.test(
      file.package,
    )
  ) {
    add(
      'error',
      'proto-package',
      `package "${file.package}" is not versioned like \`<service>.v1\``,
    );
  } else if (
    options.expectedPackage &&
    file.package !== options.expectedPackage &&
    file.services.length > 0
  ) {
    add(
      'warning',
      'proto-package',
      `package "${file.package}" differs from the expected "${options.expectedPackage}"`,
    );
  }

  if (file.services.length > 1) {
    add(
      'warning',
      'proto-service-count',
      `the file declares ${file.services.length} services; keep one service per file`,
      file.services[1],
    );
  }
  const usedAsRequest = new Map<string, number>();
  const messageNames = file.messages.map(m => m.name);
  for (const svc of file.services) {
    if (
      !PASCAL.test(svc.name) ||
      !svc.name.endsWith('Service') ||
      svc.name === 'Service'
    ) {
      add(
        'error',
        'proto-service-name',
        `service "${
          svc.name
        }" should be a PascalCase noun followed by "Service", e.g. "${
          options.expectedService ?? 'OrderService'
        }"`,
        svc,
      );
    } else if (looksPlural(svc.name.slice(0, -'Service'.length))) {
      add(
        'warning',
        'proto-service-name',
        `service "${svc.name}" looks plural; use the singular noun (e.g. "OrderService", not "OrdersService")`,
        svc,
      );
    }
    if (svc.rpcs.length === 0)
      add(
        'warning',
        'proto-service-empty',
        `service "${svc.name}" has no RPCs`,
        svc,
      );
    for (const rpc of svc.rpcs) {
      const verb =
        RPC_VERBS.find(
          v =>
            rpc.name.startsWith(v) &&
            (rpc.name.length === v.length || /[A-Z]/.test(rpc.name[v.length])),
        ) ?? verbBeforeMessage(rpc.name, messageNames);
      if (!PASCAL.test(rpc.name)) {
        add(
          'error',
          'proto-rpc-name',
          `rpc "${rpc.name}" should be PascalCase verb + noun, e.g. "CreateOrder"`,
          rpc,
        );
      } else if (!verb) {
        add(
          'warning',
          'proto-rpc-name',
          `rpc "${rpc.name}" does not start with a known verb (e.g. Get, List, Create, Update, Delete)`,
          rpc,
        );
      } else if (rpc.name.length === verb.length) {
        add(
          'warning',
          'proto-rpc-name',
          `rpc "${rpc.name}" is a verb without a noun; use e.g. "${verb}Order"`,
          rpc,
        );
      }
      const simple = (t: string) => t.replace(/^\./, '').split('.').pop()!;
      if (simple(rpc.requestType) !== `${rpc.name}Request`) {
        add(
          'warning',
          'proto-rpc-request',
          `rpc "${rpc.name}" takes "${rpc.requestType}"; name its request "${rpc.name}Request"`,
          rpc,
        );
      }
      if (simple(rpc.responseType) !== `${rpc.name}Response`) {
        add(
          'warning',
          'proto-rpc-response',
          `rpc "${rpc.name}" returns "${rpc.responseType}"; name its response "${rpc.name}Response"`,
          rpc,
        );
      }
      const reqName = rpc.requestType.replace(/^\./, '');
      usedAsRequest.set(reqName, (usedAsRequest.get(reqName) ?? 0) + 1);
    }
  }
  for (const [name, count] of usedAsRequest) {
    if (count > 1)
      add(
        'warning',
        'proto-rpc-request',
        `message "${name}" is the request of ${count} RPCs; give each RPC its own request message`,
      );
  }

  const checkEnum = (e: ProtoEnum) => {
    if (!PASCAL.test(e.name))
      add(
        'warning',
        'proto-enum-name',
        `enum "${e.name}" should be PascalCase`,
        e,
      );
    const prefix = toUpperSnake(e.name);
    const first = e.values[0];
    if (
      first &&
      (first.number !== 0 || first.name !== `${prefix}_UNSPECIFIED`)
    ) {
      add(
        'error',
        'proto-enum-zero',
        `enum "${e.name}" must start with ${prefix}_UNSPECIFIED = 0 (found ${first.name} = ${first.number})`,
        first,
      );
    }
    for (const v of e.values) {
      if (!UPPER_SNAKE.test(v.name))
        add(
          'warning',
          'proto-enum-value-name',
          `enum value "${v.name}" should be UPPER_SNAKE_CASE`,
          v,
        );
      else if (!v.name.startsWith(`${prefix}_`)) {
        add(
          'warning',
          'proto-enum-value-prefix',
          `enum value "${v.name}" should be prefixed with "${prefix}_"`,
          v,
        );
      }
    }
  };
  file.enums.forEach(checkEnum);
  visitMessages(file.messages, m => {
    if (!PASCAL.test(m.name))
      add(
        'warning',
        'proto-message-name',
        `message "${m.name}" should be PascalCase`,
        m,
      );
    m.enums.forEach(checkEnum);
    for (const f of m.fields) {
      if (!LOWER_SNAKE.test(f.name))
        add(
          'warning',
          'proto-field-name',
          `field "${m.name}.${f.name}" should be lower_snake_case`,
          f,
        );
      const valueType = f.map ? f.map.valueType : f.type;
      if (TIME_LIKE.test(f.name) && !TIME_TYPES.has(valueType)) {
        add(
          'warning',
          'proto-timestamp',
          `field "${m.name}.${f.name}" looks like a time but is ${f.type}; use google.protobuf.Timestamp`,
          f,
        );
      }
    }
  });
  return problems;
}
