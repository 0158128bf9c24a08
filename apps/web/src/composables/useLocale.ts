import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import { computed } from 'vue';
import { type AppLocale, i18n, isAppLocale, setLocale } from '../i18n';

const ELEMENT_LOCALES = { en: elementEn, 'zh-CN': elementZhCn } as const;

/** The UI language, its Element Plus counterpart, and the switch between languages. */
export function useLocale() {
  const locale = computed<AppLocale>(() => {
    const current = i18n.global.locale.value;
    return isAppLocale(current) ? current : 'en';
  });
  const elementLocale = computed(() => ELEMENT_LOCALES[locale.value]);
  return { locale, elementLocale, setLocale };
}
