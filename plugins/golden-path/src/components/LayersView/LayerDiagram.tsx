import type {
  DependencyViolation,
  GoLayerSummary,
} from '@golden-path/plugin-golden-path-common';
import { countsText, layoutLayerDiagram, plural } from './layout';

const FG = 'var(--bui-fg-primary, #222)';
const FG2 = 'var(--bui-fg-secondary, #666)';
const DANGER = 'var(--bui-fg-negative, #c62828)';
const BORDER = 'var(--bui-border-2, #bbb)';
const BOX_BG = 'var(--bui-bg-neutral-1, #fafafa)';

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The short counts of a sub-layer: lines, and packages when more than one. */
function subCounts(sub: { packages: number; lines: number }): string {
  const lines = plural(sub.lines, 'line');
  return sub.packages === 1
    ? lines
    : `${plural(sub.packages, 'pkg')} · ${lines}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

/**
 * The layers of a Go service as boxes in a row, outermost to innermost, with
 * their sub-layers inside and each broken dependency rule as a red arrow
 * from the importing layer to the imported one.
 */
export function LayerDiagram(props: {
  layers: GoLayerSummary[];
  violations: DependencyViolation[];
}) {
  const layout = layoutLayerDiagram(props.layers, props.violations);
  const label = `Layers: ${layout.boxes
    .map(b => `${b.layer} ${plural(b.summary?.packages ?? 0, 'package')}`)
    .join(', ')}; ${plural(
    props.violations.length,
    'dependency-rule violation',
  )}`;
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width, display: 'block' }}
      data-testid="layer-diagram"
    >
      <defs>
        <marker
          id="golden-path-arrow-danger"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" style={{ fill: DANGER }} />
        </marker>
        <marker
          id="golden-path-arrow-allowed"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="6"
          markerHeight="6"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" style={{ fill: FG2 }} />
        </marker>
      </defs>

      {layout.allowed.map(a => (
        <line
          key={`allowed-${a.x1}`}
          x1={a.x1}
          x2={a.x2}
          y1={a.y}
          y2={a.y}
          style={{ stroke: FG2 }}
          strokeWidth={1.5}
          markerEnd="url(#golden-path-arrow-allowed)"
        >
          <title>allowed direction: outer layers depend on inner ones</title>
        </line>
      ))}

      {layout.boxes.map(box => {
        const empty = !box.summary || box.summary.packages === 0;
        return (
          <g
            key={box.layer}
            data-layer={box.layer}
            data-violation={box.hasViolation ? 'true' : undefined}
          >
            <title>
              {`${box.layer}: ${
                box.summary ? countsText(box.summary) : 'no packages'
              }`}
            </title>
            <rect
              x={box.x}
              y={box.y}
              width={box.width}
              height={box.height}
              rx={8}
              style={{
                fill: BOX_BG,
                stroke: box.hasViolation ? DANGER : BORDER,
              }}
              strokeWidth={box.hasViolation ? 2 : 1.2}
              strokeDasharray={empty ? '6 4' : undefined}
            />
            <text
              x={box.x + 12}
              y={box.y + 24}
              fontSize={15}
              fontWeight={700}
              style={{ fill: FG }}
            >
              {capitalize(box.layer)}
            </text>
            <text
              x={box.x + 12}
              y={box.y + 44}
              fontSize={11.5}
              style={{ fill: FG2 }}
            >
              {box.summary && !empty ? countsText(box.summary) : 'no packages'}
            </text>
            <line
              x1={box.x + 10}
              x2={box.x + box.width - 10}
              y1={box.y + 54}
              y2={box.y + 54}
              style={{ stroke: BORDER }}
            />
            {(box.summary?.sublayers ?? []).map((sub, i) => (
              <g key={sub.name}>
                <title>{`${box.layer}/${sub.name}: ${countsText(sub)}`}</title>
                <text
                  x={box.x + 12}
                  y={box.y + 72 + i * 18}
                  fontSize={12}
                  style={{ fill: FG }}
                >
                  {truncate(
                    sub.name,
                    Math.floor(
                      (box.width - 34 - subCounts(sub).length * 6.2) / 6.8,
                    ),
                  )}
                </text>
                <text
                  x={box.x + box.width - 12}
                  y={box.y + 72 + i * 18}
                  fontSize={11}
                  style={{ fill: FG2 }}
                  textAnchor="end"
                >
                  {subCounts(sub)}
                </text>
              </g>
            ))}
          </g>
        );
      })}

      {layout.arrows.map(arrow => (
        <g
          key={`${arrow.from}-${arrow.to}`}
          data-violation-arrow={`${arrow.from}->${arrow.to}`}
        >
          <title>
            {`${arrow.from} imports ${arrow.to} (${plural(
              arrow.count,
              'import',
            )}): ${arrow.rules.join('; ')}`}
          </title>
          <path
            d={arrow.path}
            style={{ fill: 'none', stroke: DANGER }}
            strokeWidth={2}
            markerEnd="url(#golden-path-arrow-danger)"
          />
          <text
            x={arrow.labelX}
            y={arrow.labelY}
            fontSize={11.5}
            fontWeight={700}
            style={{ fill: DANGER }}
            textAnchor="middle"
          >
            {`${arrow.from} → ${arrow.to} ×${arrow.count}`}
          </text>
        </g>
      ))}
    </svg>
  );
}
