import { parse } from 'yaml';
import * as actions from '../actions';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import {
  GOOD_PROTO,
  GOOD_QUERIES,
  protoWorkspace,
  sqlcWorkspace,
} from '../__testUtils__/fixtures';

/** Every documented example is a real template step: it runs through the handler. */

const deps = { settings: testSettings() };
const runnable = [
  actions.createBufLintAction(deps),
  actions.createBufBuildAction(deps),
  actions.createBufFormatAction(deps),
  actions.createBufGenerateAction(deps),
  actions.createSqlcGenerateAction(deps),
  actions.createSqlcVetAction(deps),
  actions.createSqlcDiffAction(deps),
  actions.createMonorepoPlanAction(),
];

const cases = runnable.flatMap(action =>
  (action.examples ?? []).map(
    e => [action.id, e.description, action, parse(e.example).steps[0]] as const,
  ),
);

const workspaceFiles = {
  ...protoWorkspace(GOOD_PROTO),
  ...Object.fromEntries(
    Object.entries(sqlcWorkspace(GOOD_QUERIES)).map(([k, v]) => [
      k.replace(/^svc\//, 'services/order-service/'),
      v,
    ]),
  ),
};

const templateValues: Record<string, string> = {
  '${{ parameters.projectName }}': 'shop-platform',
  '${{ parameters.pkgModule }}': 'github.com/acme/go-pkg',
  '${{ parameters.goVersion }}': '1.26',
  '${{ parameters.stage }}': 'mvp',
};

describe('action examples', () => {
  it.each(cases)('%s: %s', async (id, _description, action, step) => {
    expect(step.action).toBe(id);
    const s = makeSandbox(workspaceFiles);
    try {
      if (id === 'sqlc:diff') {
        await actions.createSqlcGenerateAction(deps).handler(
          actionContext(s.workspace, {
            workingDirectory: 'services/order-service/db',
          }).ctx,
        );
      }
      const input = Object.fromEntries(
        Object.entries(step.input).map(([k, v]) => [
          k,
          templateValues[v as string] ?? v,
        ]),
      );
      const { ctx, outputs } = actionContext(s.workspace, input);
      await action.handler(ctx as any);
      expect(Object.keys(outputs).length).toBeGreaterThan(0);
    } finally {
      s.cleanup();
    }
  });

  it('documents every registered action', () => {
    const all = Object.values(actions).map(f =>
      (f as any)({ settings: testSettings(), catalog: {} }),
    );
    for (const action of all) {
      expect(action.examples?.length).toBeGreaterThan(0);
      for (const e of action.examples)
        expect(parse(e.example).steps[0].action).toBe(action.id);
    }
  });
});
