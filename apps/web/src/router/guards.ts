import { watch } from 'vue';
import type { RouteLocationNormalized, Router } from 'vue-router';
import { i18n } from '../i18n';
import { useSessionStore } from '../stores/session';
import { safeRedirect } from './redirect';

/**
 * Keeps pages behind a session: an unknown session is asked of the API once, a visitor without
 * one goes to /login carrying the page they wanted, and a signed-in user skips /login.
 */
export function installSessionGuard(router: Router): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    if (!session.restored) {
      try {
        await session.restore();
      } catch {
        // API unreachable: treat as signed out; the sign-in form reports the failure on submit.
      }
    }
    if (to.name === 'login') {
      return session.isSignedIn ? safeRedirect(to.query.redirect) : true;
    }
    if (to.meta.public || session.isSignedIn) return true;
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  });

  router.afterEach(showTitle);
  watch(i18n.global.locale, () => showTitle(router.currentRoute.value));
}

/** Puts the page's translated title in the browser tab. */
function showTitle(route: RouteLocationNormalized): void {
  const { t } = i18n.global;
  const page = route.meta.titleKey ? t(route.meta.titleKey) : '';
  document.title = page ? `${page} · ${t('app.name')}` : t('app.name');
}
