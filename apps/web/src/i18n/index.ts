import { createI18n } from 'vue-i18n';
import en, { type Messages } from './en';
import { type AppLocale, initialLocale, LOCALE_STORAGE_KEY } from './locale';
import zhCN from './zh-CN';

export * from './locale';
export type { Messages };

const DATETIME_FORMATS = {
  short: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
} as const;

function readStoredLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    // Storage can be disabled (privacy mode); the browser language still applies.
    return null;
  }
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: initialLocale(readStoredLocale(), navigator.language),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  datetimeFormats: { en: DATETIME_FORMATS, 'zh-CN': DATETIME_FORMATS },
});

/** Switches the UI language, remembers it for the next visit and tells the document. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Not remembering the choice is acceptable; the switch itself still happened.
  }
}
