import type {
  DependencyRuleInsight,
  DependencyViolation,
  GoLayer,
  GoLayerSummary,
} from '@golden-path/plugin-golden-path-common';

/** The layers in drawing order: outermost (entry points) to innermost. */
export const LAYER_ORDER: GoLayer[] = [
  'cmd',
  'infrastructure',
  'adapter',
  'application',
  'domain',
];

/** The four layers of the hexagonal layout every service should have. */
export const REQUIRED_LAYERS: GoLayer[] = [
  'domain',
  'application',
  'adapter',
  'infrastructure',
];

/** One box of the diagram. */
export interface LayerBox {
  layer: GoLayer;
  summary?: GoLayerSummary;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Whether an import from this layer breaks the rule. */
  hasViolation: boolean;
}

/** One arrow of the diagram: every violation from one layer to another. */
export interface ViolationArrow {
  from: GoLayer;
  to: GoLayer;
  count: number;
  path: string;
  labelX: number;
  labelY: number;
  rules: string[];
}

/** The computed picture. */
export interface LayerDiagramLayout {
  width: number;
  height: number;
  boxes: LayerBox[];
  arrows: ViolationArrow[];
  /** Arrows of the allowed direction, between neighbouring boxes. */
  allowed: Array<{ x1: number; x2: number; y: number }>;
}

export const BOX_WIDTH = 200;
const GAP = 56;
const PAD = 16;
const HEADER = 64;
const SUBLAYER_LINE = 18;
const ARC_STEP = 22;

/** Places the layer boxes in a row and the violation arrows above them. */
export function layoutLayerDiagram(
  layers: GoLayerSummary[],
  violations: DependencyViolation[],
): LayerDiagramLayout {
  const byLayer = new Map(layers.map(l => [l.layer, l]));
  const shown = [...LAYER_ORDER];
  if ((byLayer.get('other')?.packages ?? 0) > 0) shown.push('other');

  const pairs = new Map<
    string,
    { from: GoLayer; to: GoLayer; rules: Set<string>; count: number }
  >();
  for (const v of violations) {
    const key = `${v.fromLayer}->${v.toLayer}`;
    const pair = pairs.get(key) ?? {
      from: v.fromLayer,
      to: v.toLayer,
      rules: new Set<string>(),
      count: 0,
    };
    pair.count += 1;
    pair.rules.add(v.rule);
    pairs.set(key, pair);
  }
  const pairList = [...pairs.values()].sort(
    (a, b) =>
      Math.abs(shown.indexOf(a.from) - shown.indexOf(a.to)) -
      Math.abs(shown.indexOf(b.from) - shown.indexOf(b.to)),
  );

  const maxSublayers = Math.max(
    1,
    ...shown.map(l => byLayer.get(l)?.sublayers.length ?? 0),
  );
  const boxHeight = HEADER + maxSublayers * SUBLAYER_LINE + 14;
  const top = pairList.length > 0 ? 36 + pairList.length * ARC_STEP : 16;
  const violatingLayers = new Set(violations.map(v => v.fromLayer));

  const boxes: LayerBox[] = shown.map((layer, i) => ({
    layer,
    summary: byLayer.get(layer),
    x: PAD + i * (BOX_WIDTH + GAP),
    y: top,
    width: BOX_WIDTH,
    height: boxHeight,
    hasViolation: violatingLayers.has(layer),
  }));
  const boxOf = new Map(boxes.map(b => [b.layer, b]));

  const arrows: ViolationArrow[] = [];
  pairList.forEach((pair, i) => {
    const from = boxOf.get(pair.from);
    const to = boxOf.get(pair.to);
    if (!from || !to) return;
    const shift = ((i % 3) - 1) * 16;
    let x1 = from.x + from.width / 2 + shift;
    let x2 = to.x + to.width / 2 + shift;
    if (from === to) {
      x1 -= 30;
      x2 += 30;
    }
    const rise = 28 + i * ARC_STEP;
    const y = top;
    arrows.push({
      from: pair.from,
      to: pair.to,
      count: pair.count,
      rules: [...pair.rules],
      path: `M ${x1} ${y} C ${x1} ${y - rise} ${x2} ${y - rise} ${x2} ${y - 2}`,
      labelX: (x1 + x2) / 2,
      labelY: y - rise * 0.75 - 4,
    });
  });

  const allowed = boxes.slice(1, LAYER_ORDER.length).map((box, i) => ({
    x1: boxes[i].x + boxes[i].width + 6,
    x2: box.x - 6,
    y: top + boxHeight / 2,
  }));

  return {
    width: PAD * 2 + boxes.length * BOX_WIDTH + (boxes.length - 1) * GAP,
    height: top + boxHeight + PAD,
    boxes,
    arrows,
    allowed,
  };
}

/** `1 pkg` / `2 pkgs`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The counts line of a layer or sub-layer. */
export function countsText(s: {
  packages: number;
  files: number;
  lines: number;
}): string {
  return `${plural(s.packages, 'pkg')} · ${plural(s.files, 'file')} · ${plural(
    s.lines,
    'line',
  )}`;
}

/** Where the rule checked came from, in one sentence. */
export function ruleSourceText(rule: DependencyRuleInsight): string {
  const names = rule.rules.map(r => r.name).join(', ');
  const count = `${rule.rules.length} ${
    rule.rules.length === 1 ? 'rule' : 'rules'
  }`;
  if (rule.source === 'service')
    return `Rule from ${rule.path} (depguard, ${count}: ${names}), the file the service's architecture test and golangci-lint read.`;
  return `The golden path's default rule (${count}: ${names}): the service has no .golangci.yml with depguard rules.`;
}
