import { insightsFixture } from '../../__fixtures__/insights';
import { countsText, layoutLayerDiagram, ruleSourceText } from './layout';

describe('layoutLayerDiagram', () => {
  it('places the layers outermost to innermost and one arrow per violating pair', () => {
    const layout = layoutLayerDiagram(
      insightsFixture.layers.layers,
      insightsFixture.layers.violations,
    );
    expect(layout.boxes.map(b => b.layer)).toEqual([
      'cmd',
      'infrastructure',
      'adapter',
      'application',
      'domain',
    ]);
    expect(layout.arrows).toHaveLength(1);
    expect(layout.arrows[0]).toMatchObject({
      from: 'domain',
      to: 'adapter',
      count: 1,
    });
    expect(layout.boxes.find(b => b.layer === 'domain')?.hasViolation).toBe(
      true,
    );
    expect(layout.allowed).toHaveLength(4);
    const xs = layout.boxes.map(b => b.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(layout.width).toBeGreaterThan(
      layout.boxes[4].x + layout.boxes[4].width,
    );
  });

  it('shows the "other" layer only when it has packages', () => {
    const other = {
      layer: 'other' as const,
      packages: 1,
      files: 1,
      lines: 3,
      sublayers: [],
    };
    expect(layoutLayerDiagram([other], []).boxes.map(b => b.layer)).toContain(
      'other',
    );
    expect(
      layoutLayerDiagram([{ ...other, packages: 0 }], []).boxes.map(
        b => b.layer,
      ),
    ).not.toContain('other');
  });

  it('writes counts in words', () => {
    expect(countsText({ packages: 1, files: 2, lines: 1 })).toBe(
      '1 pkg · 2 files · 1 line',
    );
  });
});

describe('ruleSourceText', () => {
  const rule = { name: 'domain', files: [], deny: ['net/http'], allow: [] };
  it('names the service file the rule came from', () => {
    expect(
      ruleSourceText({
        source: 'service',
        path: 'services/order-service/.golangci.yml',
        rules: [rule, { ...rule, name: 'application' }],
      }),
    ).toBe(
      "Rule from services/order-service/.golangci.yml (depguard, 2 rules: domain, application), the file the service's architecture test and golangci-lint read.",
    );
  });
  it('says when the default was checked', () => {
    expect(ruleSourceText({ source: 'default', rules: [rule] })).toBe(
      "The golden path's default rule (1 rule: domain): the service has no .golangci.yml with depguard rules.",
    );
  });
});
