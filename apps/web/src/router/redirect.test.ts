import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it('keeps a path inside the app, with its query', () => {
    expect(safeRedirect('/runs')).toBe('/runs');
    expect(safeRedirect('/runs?status=running')).toBe('/runs?status=running');
    expect(safeRedirect(['/audit'])).toBe('/audit');
  });

  it('falls back for anything that could leave the app or loop', () => {
    for (const raw of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'runs',
      '/login',
      '/login?redirect=/',
      undefined,
      null,
      3,
    ]) {
      expect(safeRedirect(raw)).toBe('/');
    }
  });
});
