import type { MouseEvent } from 'react';

/** How the browser's in-page links look: as BUI's Link (underlined in the text's colour). */
export const linkStyle = {
  color: 'inherit',
  textDecoration: 'underline',
  textUnderlineOffset: 2,
  textDecorationColor: 'color-mix(in srgb, currentColor 40%, transparent)',
} as const;

/** Id of a line of the Raw view. */
export function rawLineId(line: number): string {
  return `grpc-definition-L${line}`;
}

/** A link to a line of the definition: opens the Raw view at that line. */
export function SourceLineLink(props: {
  line: number;
  onShowLine: (line: number) => void;
  label?: string;
}) {
  const { line, onShowLine } = props;
  return (
    <a
      href={`#${rawLineId(line)}`}
      onClick={(e: MouseEvent) => {
        e.preventDefault();
        onShowLine(line);
      }}
      aria-label={`line ${line} of the definition`}
      style={{ ...linkStyle, whiteSpace: 'nowrap' }}
    >
      {props.label ?? `line ${line}`}
    </a>
  );
}
