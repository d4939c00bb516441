import { describe, expect, it } from 'vitest';
import { syncStatusText } from './sync-status-text.ts';

describe('syncStatusText', () => {
  it('names every state with the agreed words', () => {
    expect(syncStatusText('offline', 0, null)).toBe('Offline');
    expect(syncStatusText('connecting', 0, null)).toBe('Connecting…');
    expect(syncStatusText('syncing', 2, null)).toBe('Syncing…');
    expect(syncStatusText('saved', 0, null)).toBe('All changes saved');
    expect(syncStatusText('saved', 0, Date.UTC(2026, 0, 1, 9, 5))).toMatch(/^All changes saved · \d/);
  });

  it('counts unsaved changes, also while offline', () => {
    expect(syncStatusText('unsaved', 1, null)).toBe('1 change not saved yet');
    expect(syncStatusText('unsaved', 3, null)).toBe('3 changes not saved yet');
    expect(syncStatusText('offline', 4, null)).toBe('Offline · 4 changes not saved yet');
  });
});
