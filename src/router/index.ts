import {
  createRouter,
  createWebHashHistory,
  type NavigationGuardReturn,
  type RouteLocationNormalized,
  type Router,
  type RouteRecordRaw,
} from 'vue-router'
import { isApiFailure } from '@/api/http'
import { loadDeskWords } from '@/i18n'
import { viewForEntry, type EntryView } from '@/shared/entry'
import { loginUrl } from '@/api/session'
import { useEntryStore } from '@/stores/entry'
import { useSessionStore } from '@/stores/session'
import { isPreviewFrame, isWeCom } from '@/wecom'
import { returnPathWithMarker } from './login-marker'

const CustomerPage = () => import('@/pages/sidebar/CustomerPage.vue')
const GroupPage = () => import('@/pages/sidebar/GroupPage.vue')
const WorkbenchPage = () => import('@/pages/workbench/WorkbenchPage.vue')

/** Start loading the screen an entry leads to while sign-in and the SDK are still busy. */
export function preloadView(view: EntryView): void {
  const load = { customer: CustomerPage, group: GroupPage, workbench: WorkbenchPage }[view]
  load().catch(() => {
    // The router loads it again when it navigates, and reports a failure there.
  })
}

// Hash history: moving between screens never changes the signed URL, so the JS-SDK
// signs once per page load instead of once per navigation.
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'entry', component: () => import('@/pages/entry/EntryPage.vue') },
  { path: '/customer', name: 'current-customer', component: CustomerPage },
  { path: '/customers/:externalUserId', name: 'customer', component: CustomerPage, props: true },
  { path: '/group', name: 'current-group', component: GroupPage },
  { path: '/workbench', name: 'workbench', component: WorkbenchPage },
  {
    path: '/manage',
    name: 'manage',
    // The desk's words are not in the sidebar's dictionary: they arrive with the desk.
    component: () => Promise.all([import('@/pages/manage/ManagePage.vue'), loadDeskWords()]).then(([page]) => page),
  },
  { path: '/outside', name: 'outside', component: () => import('@/pages/outside/OutsidePage.vue'), meta: { public: true } },
  {
    path: '/problem/:kind',
    name: 'problem',
    component: () => import('@/pages/problem/ProblemPage.vue'),
    props: true,
    meta: { public: true },
  },
  { path: '/:rest(.*)*', redirect: { name: 'entry' } },
]

export function createAppRouter(options: { cameBackFromLogin: boolean }): Router {
  const router = createRouter({
    history: createWebHashHistory(),
    routes,
    // Back to a list lands where the guide left it.
    scrollBehavior: (_to, _from, savedPosition) => savedPosition ?? { top: 0 },
  })

  router.beforeEach(async (to) => {
    if (isPreviewFrame) return previewFrameGuard(to)
    if (!isWeCom) return to.name === 'outside' ? true : { name: 'outside', replace: true }
    if (to.meta.public) return to.name === 'outside' ? { name: 'entry', replace: true } : true
    try {
      await useSessionStore().ensure()
    } catch (error) {
      if (isApiFailure(error) && error.isUnauthorized) {
        if (options.cameBackFromLogin) return { name: 'problem', params: { kind: 'auth' }, replace: true }
        window.location.replace(loginUrl(returnPathWithMarker(window.location)))
        return false
      }
      return { name: 'problem', params: { kind: 'network' }, query: { to: to.fullPath }, replace: true }
    }
    return to.name === 'entry' ? screenForEntry() : true
  })

  return router
}

/** The route each entry's screen lives at. */
export const ROUTE_FOR_VIEW = { customer: 'current-customer', group: 'current-group', workbench: 'workbench' } as const

/**
 * Straight to the screen WeCom's entry leads to (the start-up warm-up is already asking):
 * no entry screen to load and mount first. Only when the entry cannot be read does the
 * entry screen show, with its retry.
 */
async function screenForEntry(): Promise<NavigationGuardReturn> {
  try {
    const entry = await useEntryStore().resolve()
    return { name: ROUTE_FOR_VIEW[viewForEntry(entry)], replace: true }
  } catch {
    return true
  }
}

/**
 * The desk's preview frame runs outside WeCom, and only for a manager's preview: any other
 * session (or none) sees the outside page, so `?preview=1` is no way around WeCom. No
 * sign-in from here either: WeCom's OAuth does not belong in a frame.
 */
async function previewFrameGuard(to: RouteLocationNormalized): Promise<NavigationGuardReturn> {
  if (to.meta.public) return true
  try {
    const me = await useSessionStore().ensure()
    if (!me.preview) return { name: 'outside', replace: true }
    return to.name === 'entry' ? screenForEntry() : true
  } catch (error) {
    if (isApiFailure(error) && error.isUnauthorized) return { name: 'outside', replace: true }
    return { name: 'problem', params: { kind: 'network' }, query: { to: to.fullPath }, replace: true }
  }
}
