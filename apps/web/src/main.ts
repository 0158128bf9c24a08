import 'element-plus/theme-chalk/base.css';
import './styles/main.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { api } from './api';
import { i18n } from './i18n';
import { createAppRouter } from './router';
import { useSessionStore } from './stores/session';

const app = createApp(App);
const pinia = createPinia();
const router = createAppRouter();
app.use(pinia).use(i18n).use(router);

document.documentElement.lang = i18n.global.locale.value;

// A session that ends while the app is open (expiry, sign-out in another tab) sends the user
// to sign in again and back to where they were.
api.onAuthRequired(() => {
  const session = useSessionStore(pinia);
  if (!session.isSignedIn) return;
  session.clear();
  const current = router.currentRoute.value;
  void router.push({ name: 'login', query: { redirect: current.fullPath, reason: 'expired' } });
});

app.mount('#app');
