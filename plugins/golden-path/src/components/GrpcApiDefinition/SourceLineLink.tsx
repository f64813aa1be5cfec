import type { MouseEvent } from 'react';

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
      style={{ color: 'var(--bui-fg-link, inherit)', whiteSpace: 'nowrap' }}
    >
      {props.label ?? `line ${line}`}
    </a>
  );
}
