import { useI18n } from 'vue-i18n';

/** Splits seconds into whole hours, minutes and seconds. */
export function splitDuration(totalSeconds: number): { hours: number; minutes: number; seconds: number } {
  const whole = Math.max(0, Math.floor(totalSeconds));
  return {
    hours: Math.floor(whole / 3600),
    minutes: Math.floor((whole % 3600) / 60),
    seconds: whole % 60,
  };
}

/** Returns a function writing a duration in seconds as e.g. "1 h 30 min" in the UI language. */
export function useDurationText(): (totalSeconds: number) => string {
  const { t } = useI18n();
  return (totalSeconds) => {
    const { hours, minutes, seconds } = splitDuration(totalSeconds);
    const parts = [
      hours > 0 ? t('duration.hours', { n: hours }) : '',
      minutes > 0 ? t('duration.minutes', { n: minutes }) : '',
      seconds > 0 || totalSeconds < 60 ? t('duration.seconds', { n: seconds }) : '',
    ];
    return parts.filter(Boolean).join(' ');
  };
}
