import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { explainValues } from './explainValues';
import {
  collectTemplateFiles,
  TemplateFile,
  writeRenderedFiles,
} from './templateFiles';

/** What to render, and where the backend is. */
export interface RenderOptions {
  /** A template directory (holding template.yaml) or a template file. */
  templateDir: string;
  values: Record<string, unknown>;
  backendUrl: string;
  token: string;
  secrets?: Record<string, string>;
  /** Write the rendered files here (must be absent or empty unless force). */
  outDir?: string;
  force?: boolean;
  fetchImpl?: typeof fetch;
}

/** One step of the dry run, with its log. */
export interface RenderedStep {
  id: string;
  name: string;
  action: string;
  status: string;
  log: string[];
}

export interface RenderResult {
  files: TemplateFile[];
  steps: RenderedStep[];
  output: Record<string, unknown>;
}

/** The dry run failed: a step failed, or the backend refused the template or values. */
export class RenderError extends Error {
  name = 'RenderError';
  constructor(message: string, readonly steps: RenderedStep[] = []) {
    super(message);
  }
}

interface DryRunResponse {
  log: { body: { message: string; stepId?: string; status?: string } }[];
  directoryContents: TemplateFile[];
  output: Record<string, unknown>;
  steps: { id: string; name: string; action: string }[];
}

/**
 * Renders a template through the scaffolder dry-run API of a running
 * backend: the real fetch:template, the real actions (those that support
 * dry-run), the real parameter validation.
 */
export async function renderTemplate(
  options: RenderOptions,
): Promise<RenderResult> {
  // A directory holding template.yaml, or a template file whose directory holds what it fetches.
  const isFile =
    fs.existsSync(options.templateDir) &&
    fs.statSync(options.templateDir).isFile();
  const templateFile = isFile
    ? options.templateDir
    : path.join(options.templateDir, 'template.yaml');
  const templateDir = isFile
    ? path.dirname(options.templateDir)
    : options.templateDir;
  if (!fs.existsSync(templateFile))
    throw new RenderError(`no template.yaml in ${options.templateDir}`);
  if (
    options.outDir &&
    fs.existsSync(options.outDir) &&
    fs.readdirSync(options.outDir).length &&
    !options.force
  ) {
    throw new RenderError(
      `${options.outDir} is not empty (use --force to write into it)`,
    );
  }
  const template = parse(fs.readFileSync(templateFile, 'utf8'));
  const directoryContents = collectTemplateFiles(
    templateDir,
    isFile ? path.basename(templateFile) : 'template.yaml',
  );
  const doFetch = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(
      `${options.backendUrl.replace(/\/$/, '')}/api/scaffolder/v2/dry-run`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${options.token}`,
        },
        body: JSON.stringify({
          template,
          values: options.values,
          secrets: options.secrets ?? {},
          directoryContents,
        }),
      },
    );
  } catch (e) {
    throw new RenderError(
      `cannot reach ${options.backendUrl}: ${
        (e as any).cause?.code ?? (e as Error).message
      }`,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      const body = JSON.parse(text);
      if (Array.isArray(body.errors)) {
        message = body.errors
          .map((e: any) => {
            const field =
              Array.isArray(e.path) && e.path.length
                ? e.path.join('.')
                : 'values';
            const help = e.schema?.['ui:help']
              ? ` — ${e.schema['ui:help']}`
              : '';
            return `${field} ${e.message}${help}`;
          })
          .join('; ');
      } else {
        message = body.error?.message ?? message;
      }
    } catch {
      /* not JSON */
    }
    if (res.status === 400) {
      const detail = explainValues(template?.spec?.parameters, options.values);
      if (detail.length) message = detail.join('; ');
    }
    throw new RenderError(
      `the backend refused the dry run (HTTP ${res.status}): ${message}`,
    );
  }
  const body = JSON.parse(text) as DryRunResponse;
  const steps: RenderedStep[] = body.steps.map(s => ({
    ...s,
    status: 'skipped',
    log: [],
  }));
  for (const entry of body.log) {
    const step = steps.find(s => s.id === entry.body.stepId);
    if (!step) continue;
    if (entry.body.status) step.status = entry.body.status;
    else step.log.push(entry.body.message);
  }
  const failed = steps.find(s => s.status === 'failed');
  if (failed) {
    const reason =
      failed.log.filter(l => !/^Beginning step/.test(l)).slice(-1)[0] ??
      'no message';
    throw new RenderError(
      `step "${failed.name}" (${failed.action}) failed: ${reason}`,
      steps,
    );
  }
  if (options.outDir) {
    fs.mkdirSync(options.outDir, { recursive: true });
    writeRenderedFiles(options.outDir, body.directoryContents);
  }
  return { files: body.directoryContents, steps, output: body.output };
}
