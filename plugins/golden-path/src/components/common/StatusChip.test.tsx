import { render, screen } from '@testing-library/react';
import { StatusChip, toneOf } from './StatusChip';

describe('StatusChip', () => {
  it.each([
    ['applied', 'success'],
    ['ok', 'success'],
    ['pending', 'warning'],
    ['partial', 'warning'],
    ['failed', 'danger'],
    ['drift', 'danger'],
    ['error', 'danger'],
    ['mismatch', 'danger'],
    ['edited', 'danger'],
    ['added', 'warning'],
    ['removed', 'danger'],
    ['baseline', 'info'],
    ['something-new', 'neutral'],
  ])('shows %s in the %s tone', (status, tone) => {
    expect(toneOf(status)).toBe(tone);
    render(<StatusChip status={status} />);
    const chip = screen.getByText(status);
    expect(chip).toHaveAttribute('data-status', status);
    expect(chip).toHaveAttribute('data-tone', tone);
  });

  it('can show another label', () => {
    render(<StatusChip status="error" label="unreachable" />);
    expect(screen.getByText('unreachable')).toHaveAttribute(
      'data-status',
      'error',
    );
  });
});
