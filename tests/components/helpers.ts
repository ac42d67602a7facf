import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Component } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { afterEach, vi } from 'vitest'

// A page left mounted keeps listening for focus/visibility and would answer for the next test.
enableAutoUnmount(afterEach)

const Blank = { template: '<div />' }

/** Mount with a fresh Pinia and a memory router, as every component test should. */
export async function mountPage(
  component: Component,
  props: Record<string, unknown> = {},
  /** Puts the stores in the state the page finds them in (who is signed in, …) before it mounts. */
  prepare?: (pinia: Pinia) => void,
) {
  const pinia = createPinia()
  setActivePinia(pinia)
  prepare?.(pinia)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/customers/:externalUserId', name: 'customer', component: Blank },
      { path: '/manage', name: 'manage', component: Blank },
    ],
  })
  await router.push('/')
  await router.isReady()
  const wrapper = mount(component, { props, global: { plugins: [pinia, router] }, attachTo: document.body })
  // Editors mount once the page is idle, and they and the panels are async components:
  // their code arrives just after. A test starts from the page as she would find it.
  // (happy-dom has no idle callback: useAfterPaint waits for a frame and a task.)
  // A test on fake timers drives time itself (and opens no editor).
  if (!vi.isFakeTimers()) await new Promise<void>((resolve) => window.requestAnimationFrame(() => setTimeout(resolve, 1)))
  await flushPromises()
  await vi.dynamicImportSettled()
  await flushPromises()
  return { wrapper, router, pinia }
}

/** One painted frame later (a frame callback, then a task), and whatever that set off. */
export async function nextPaint(): Promise<void> {
  await new Promise<void>((resolve) => window.requestAnimationFrame(() => setTimeout(resolve, 1)))
  await flushPromises()
}

export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export { flushPromises }
