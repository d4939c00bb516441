import { describe, expect, it } from 'vitest';
import { formatDue } from './board-labels.ts';

describe('formatDue', () => {
  const now = new Date(2026, 10, 28);

  it('shows month and day for a date this year, and the year for other years, as toLocaleDateString does', () => {
    expect(formatDue('2026-03-05', now)).toBe(new Date(2026, 2, 5).toLocaleDateString([], { month: 'short', day: 'numeric' }));
    expect(formatDue('2027-01-09', now)).toBe(new Date(2027, 0, 9).toLocaleDateString([], { month: 'short', day: 'numeric', year: 'numeric' }));
    expect(formatDue('2027-01-09', now)).toContain('2027');
  });

  it('leaves a value that is not a YYYY-MM-DD date as it is', () => {
    expect(formatDue('soon', now)).toBe('soon');
  });
});
