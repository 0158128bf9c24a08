import { useI18n } from 'vue-i18n';
import { ApiError } from '../api';

/**
 * Returns a function giving the text to show for a failure: the translation of its code when
 * there is one, else the server's message, else a generic line.
 */
export function useErrorText(): (error: unknown) => string {
  const { t, te } = useI18n();
  return (error) => {
    if (error instanceof ApiError) {
      const key = `errors.${error.code}`;
      if (te(key)) return t(key);
      if (error.message) return error.message;
    }
    return t('errors.unknown');
  };
}
