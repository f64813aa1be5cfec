import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** One template step as a documented example. */
export function stepExample(
  description: string,
  action: string,
  input: Record<string, unknown>,
  name = description,
): TemplateExample {
  return {
    description,
    example: yaml.stringify({
      steps: [{ id: action.replace(/[^a-z]+/g, '-'), action, name, input }],
    }),
  };
}
