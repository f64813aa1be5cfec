import { insightsFixture } from '../../__fixtures__/insights';
import { countsText, layoutLayerDiagram } from './layout';

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
