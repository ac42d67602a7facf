/**
 * The name-paint bench's yardstick: the stack the sidebar is built on (Vue, its router,
 * Pinia, one on-demand Vant component, axios and the WeCom JS-SDK) painting one screen of
 * text, with no data to wait for. Its first contentful paint is what "as fast as the
 * framework allows" means on the same machine, in the same run.
 */
import * as ww from '@wecom/jssdk'
import axios from 'axios'
import { createPinia, defineStore } from 'pinia'
import { Button } from 'vant'
import 'vant/es/button/style'
import { createApp, h } from 'vue'
import { createRouter, createWebHashHistory, RouterView } from 'vue-router'

const useGreeting = defineStore('greeting', { state: () => ({ title: '导购助手', lead: '客户资料加载中' }) })

const Home = {
  setup() {
    const greeting = useGreeting()
    return () =>
      h('main', { style: 'padding:16px;font:15px system-ui,sans-serif' }, [
        h('h1', { style: 'font-size:20px;margin:0 0 8px' }, greeting.title),
        h('p', { style: 'margin:0 0 12px;color:#666' }, greeting.lead),
        h(Button, { type: 'primary', size: 'small' }, () => '发送'),
      ])
  },
}

// Kept reachable so the bundle carries them, as the sidebar's does.
const client = axios.create({ baseURL: '/api', timeout: 10_000 })
;(window as unknown as { __bare: unknown }).__bare = { client, sdk: ww }

const router = createRouter({ history: createWebHashHistory(), routes: [{ path: '/', component: Home }] })
createApp({ render: () => h(RouterView) })
  .use(createPinia())
  .use(router)
  .mount('#app')
