import { useI18n } from 'vue-i18n';

/**
 * Formatters for run pages in the UI language: date and time to the second (runs are short),
 * time of day alone, and a short hash.
 */
export function useRunFormat() {
  const { locale } = useI18n();

  function dateTime(iso: string | null | undefined): string {
    if (!iso) return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(locale.value, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(date);
  }

  function timeOfDay(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(locale.value, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
      date,
    );
  }

  return { dateTime, timeOfDay, shortHash };
}

/** The first 12 hex digits of a SHA-256, enough to tell manifests apart at a glance. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
