import { ERROR_STATUS } from '@chaosgate/shared';
import { describe, expect, it } from 'vitest';
import { CLIENT_ERROR_CODES } from '../api/api-error';
import en from './en';
import { initialLocale, localeFromLanguage } from './locale';
import zhCN from './zh-CN';

/** Every leaf key of a nested message object, as dotted paths, sorted. */
function keyPaths(messages: object, prefix = ''): string[] {
  return Object.entries(messages)
    .flatMap(([key, value]) =>
      typeof value === 'object' && value !== null ? keyPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
    )
    .sort();
}

describe('locale messages', () => {
  it('have the same keys in English and Chinese', () => {
    expect(keyPaths(zhCN)).toEqual(keyPaths(en));
  });

  it('have no empty text', () => {
    const leaves = (m: object): unknown[] =>
      Object.values(m).flatMap((v) => (typeof v === 'object' && v !== null ? leaves(v) : [v]));
    for (const value of [...leaves(en), ...leaves(zhCN)]) {
      expect(typeof value === 'string' && value.trim().length > 0).toBe(true);
    }
  });

  it('translate every error code the API and the client can produce', () => {
    const codes = [...Object.keys(ERROR_STATUS), ...CLIENT_ERROR_CODES];
    const translated = Object.keys(en.errors);
    expect(codes.filter((code) => !translated.includes(code))).toEqual([]);
  });
});

describe('locale selection', () => {
  it('maps any Chinese browser language to zh-CN and everything else to en', () => {
    expect(localeFromLanguage('zh-CN')).toBe('zh-CN');
    expect(localeFromLanguage('zh-TW')).toBe('zh-CN');
    expect(localeFromLanguage('zh')).toBe('zh-CN');
    expect(localeFromLanguage('en-GB')).toBe('en');
    expect(localeFromLanguage('de')).toBe('en');
    expect(localeFromLanguage(undefined)).toBe('en');
  });

  it('prefers a stored choice and ignores a stored value that is not a locale', () => {
    expect(initialLocale('en', 'zh-CN')).toBe('en');
    expect(initialLocale('zh-CN', 'en-US')).toBe('zh-CN');
    expect(initialLocale('fr', 'zh-HK')).toBe('zh-CN');
    expect(initialLocale(null, 'en-US')).toBe('en');
  });
});
