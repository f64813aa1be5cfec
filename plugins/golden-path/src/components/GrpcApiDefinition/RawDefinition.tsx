import { useEffect, useMemo, useRef } from 'react';
import { Box, Text } from '@backstage/ui';
import { formatBytes } from './readDefinition';
import { rawLineId } from './SourceLineLink';

/** Largest part of a definition the Raw view shows. */
export const MAX_RAW_CHARS = 1024 * 1024;

const LINE_HEIGHT = 20; // px; lines never wrap, so line n starts at (n - 1) * LINE_HEIGHT
const PADDING = 12;

/**
 * The definition as written, with line numbers; `highlight` marks one line
 * and scrolls to it. The text is one element whatever its length (the
 * numbers another, the mark a third), and a definition over
 * {@link MAX_RAW_CHARS} shows its start only, so a 10 MB definition does not
 * freeze the page.
 */
export function RawDefinition(props: {
  definition: string;
  highlight?: number;
}) {
  const { definition, highlight } = props;
  const { text, numbers, lineCount } = useMemo(() => {
    const shown = definition.slice(0, MAX_RAW_CHARS);
    let count = 1;
    for (let i = shown.indexOf('\n'); i !== -1; i = shown.indexOf('\n', i + 1))
      count++;
    return {
      text: shown,
      lineCount: count,
      numbers: Array.from({ length: count }, (_, i) => i + 1).join('\n'),
    };
  }, [definition]);
  const mark = useRef<HTMLDivElement>(null);
  const line = highlight && highlight <= lineCount ? highlight : undefined;
  useEffect(() => {
    if (line) mark.current?.scrollIntoView?.({ block: 'center' });
  }, [line]);
  const lineText = line ? text.split('\n', line)[line - 1] : undefined;
  const font = {
    margin: 0,
    fontFamily: 'monospace',
    fontSize: 13,
    lineHeight: `${LINE_HEIGHT}px`,
    whiteSpace: 'pre',
  } as const;
  return (
    <Box aria-label="raw definition">
      {text.length < definition.length ? (
        <Text variant="body-small" color="secondary">
          {`Showing the first ${formatBytes(text.length)} of ${formatBytes(
            definition.length,
          )}.`}
        </Text>
      ) : null}
      <div
        style={{
          position: 'relative',
          display: 'flex',
          overflow: 'auto',
          maxHeight: '75vh',
          padding: PADDING,
          border: '1px solid var(--bui-border-1)',
          borderRadius: 8,
        }}
      >
        {line ? (
          <div
            ref={mark}
            id={rawLineId(line)}
            data-line={line}
            aria-current="location"
            aria-label={`line ${line}: ${lineText}`}
            style={{
              position: 'absolute',
              left: 0,
              right: 0,
              top: PADDING + (line - 1) * LINE_HEIGHT,
              height: LINE_HEIGHT,
              minWidth: '100%',
              background: 'var(--bui-warning-bg-subdued, #fff3c4)',
              opacity: 0.6,
              pointerEvents: 'none',
            }}
          />
        ) : null}
        <pre
          aria-hidden
          style={{
            ...font,
            textAlign: 'right',
            paddingRight: '1.5ch',
            opacity: 0.5,
            userSelect: 'none',
            position: 'relative',
          }}
        >
          {numbers}
        </pre>
        <pre data-testid="raw-text" style={{ ...font, position: 'relative' }}>
          <code style={{ font: 'inherit' }}>{text}</code>
        </pre>
      </div>
    </Box>
  );
}
