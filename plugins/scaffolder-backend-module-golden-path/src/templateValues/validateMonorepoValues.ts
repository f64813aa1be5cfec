import { GO_KEYWORDS } from './goKeywords';

/** Go versions the templates support. */
export const SUPPORTED_GO_VERSIONS: readonly string[] = ['1.26'];

/** Values of the Go monorepo template's form. */
export interface MonorepoValues {
  projectName: string;
  pkgModule: string;
  goVersion: string;
  stage: 'mvp' | 'async';
}

/** Template values were refused; `problems` says what to type instead, one per field. */
export class TemplateValuesError extends Error {
  name = 'TemplateValuesError';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const PROJECT = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;
const MODULE_ELEMENT = /^[a-z0-9_~-]+(\.[a-z0-9_~-]+)*$/;
const HOST =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** Problems with a Go module path, in words a person can act on. */
export function moduleProblems(field: string, value: unknown): string[] {
  if (typeof value !== 'string' || !value)
    return [`${field} is required, e.g. github.com/acme/go-pkg`];
  const parts = value.split('/');
  if (parts.length < 2 || !HOST.test(parts[0])) {
    return [
      `${field} "${value}" must start with a host containing a dot, then a path, e.g. github.com/acme/go-pkg`,
    ];
  }
  const bad = parts
    .slice(1)
    .find(p => !MODULE_ELEMENT.test(p) || p === '.' || p === '..');
  if (bad !== undefined) {
    return [
      `${field} "${value}" has an invalid element "${bad}": use lowercase letters, digits, "-", "_", "." and "~"`,
    ];
  }
  if (/^v[0-9]+$/.test(parts[parts.length - 1])) {
    return [
      `${field} "${value}" must not end in a major version suffix: drop "/${
        parts[parts.length - 1]
      }"`,
    ];
  }
  return [];
}

/** Checks the monorepo template's values; throws TemplateValuesError listing every problem. */
export function validateMonorepoValues(
  values: Record<string, unknown>,
): MonorepoValues {
  const problems: string[] = [];
  const { projectName, pkgModule, goVersion, stage } = values;
  if (typeof projectName !== 'string' || !PROJECT.test(projectName)) {
    problems.push(
      `projectName "${String(
        projectName ?? '',
      )}" must be 3 to 40 lowercase letters, digits and hyphens, starting with a letter, e.g. shop-platform`,
    );
  } else if (GO_KEYWORDS.includes(projectName)) {
    problems.push(
      `projectName "${projectName}" is a Go keyword: pick another name, e.g. ${projectName}-platform`,
    );
  }
  problems.push(...moduleProblems('pkgModule', pkgModule));
  if (
    typeof goVersion !== 'string' ||
    !SUPPORTED_GO_VERSIONS.includes(goVersion)
  ) {
    problems.push(
      `goVersion "${String(
        goVersion ?? '',
      )}" is not supported: use ${SUPPORTED_GO_VERSIONS.join(' or ')}`,
    );
  }
  if (stage !== 'mvp' && stage !== 'async') {
    problems.push(`stage "${String(stage ?? '')}" must be mvp or async`);
  }
  if (problems.length) throw new TemplateValuesError(problems);
  return { projectName, pkgModule, goVersion, stage } as MonorepoValues;
}
