/** Locales the UI ships, as BCP 47 tags. */
export const APP_LOCALES = ['en', 'zh-CN'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

export const LOCALE_STORAGE_KEY = 'chaosgate.locale';

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (APP_LOCALES as readonly string[]).includes(value);
}

/** The locale for a browser language tag: any Chinese variant gets zh-CN, everything else en. */
export function localeFromLanguage(language: string | undefined): AppLocale {
  return language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** A locale the user chose earlier wins over the browser's language. */
export function initialLocale(stored: string | null, language: string | undefined): AppLocale {
  return isAppLocale(stored) ? stored : localeFromLanguage(language);
}
