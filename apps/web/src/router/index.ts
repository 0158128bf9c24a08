import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import AppLayout from '@/layouts/AppLayout.vue';
import HomeView from '@/views/HomeView.vue';
import SignInView from '@/views/SignInView.vue';
import { installSessionGuard } from './guards';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title, shown in the browser tab. */
    titleKey?: string;
    /** Reachable without a session. */
    public?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: SignInView,
    meta: { public: true, titleKey: 'signIn.title' },
  },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', name: 'home', component: HomeView, meta: { titleKey: 'nav.home' } },
      {
        path: 'topology',
        name: 'topology',
        component: () => import('@/views/TopologyView.vue'),
        meta: { titleKey: 'nav.topology' },
      },
      {
        // Nested under one path so the Runs link in the header stays active on a run's pages.
        path: 'runs',
        children: [
          {
            path: '',
            name: 'runs',
            component: () => import('@/views/RunsView.vue'),
            meta: { titleKey: 'nav.runs' },
          },
          {
            path: 'new',
            name: 'run-new',
            component: () => import('@/views/ComposerView.vue'),
            meta: { titleKey: 'composer.title' },
          },
          {
            path: ':id',
            name: 'run-detail',
            component: () => import('@/views/RunDetailView.vue'),
            meta: { titleKey: 'runs.detail.title' },
          },
        ],
      },
      {
        path: 'approvals',
        name: 'approvals',
        component: () => import('@/views/ApprovalsView.vue'),
        meta: { titleKey: 'nav.approvals' },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/views/AuditView.vue'),
        meta: { titleKey: 'nav.audit' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/NotFoundView.vue'),
        meta: { titleKey: 'pages.notFound.title' },
      },
    ],
  },
];

export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
  installSessionGuard(router);
  return router;
}
