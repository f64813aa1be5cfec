import type { CSSProperties } from 'react';
import { Badge } from '@backstage/ui';

/** The colour family of a chip. */
export type ChipTone = 'success' | 'warning' | 'danger' | 'info' | 'neutral';

const toneStyles: Record<ChipTone, CSSProperties> = {
  success: {
    background: 'var(--bui-positive-bg-subdued)',
    color: 'var(--bui-positive-fg-subdued)',
  },
  warning: {
    background: 'var(--bui-warning-bg-subdued)',
    color: 'var(--bui-warning-fg-subdued)',
  },
  danger: {
    background: 'var(--bui-negative-bg-subdued)',
    color: 'var(--bui-negative-fg-subdued)',
  },
  info: {
    background: 'var(--bui-announcement-bg-subdued)',
    color: 'var(--bui-fg-primary)',
  },
  neutral: {},
};

/** Tone of each status word the insights use. */
const statusTones: Record<string, ChipTone> = {
  ok: 'success',
  applied: 'success',
  pending: 'warning',
  partial: 'warning',
  mismatch: 'danger',
  missing: 'warning',
  invalid: 'danger',
  failed: 'danger',
  drift: 'danger',
  error: 'danger',
  edited: 'danger',
  added: 'warning',
  removed: 'danger',
  baseline: 'info',
  warning: 'warning',
  info: 'info',
};

/** The tone of a status word (neutral when unknown). */
export function toneOf(status: string): ChipTone {
  return statusTones[status] ?? 'neutral';
}

/** A small coloured label for a status: `applied`, `pending`, `failed`… */
export function StatusChip(props: {
  status: string;
  label?: string;
  tone?: ChipTone;
}) {
  const tone = props.tone ?? toneOf(props.status);
  return (
    <Badge
      size="small"
      data-status={props.status}
      data-tone={tone}
      style={toneStyles[tone]}
    >
      {props.label ?? props.status}
    </Badge>
  );
}
