import { ref } from 'vue'

/**
 * The tab a guide was on, kept for the page's life: when she switches chats she stays
 * on 话术 if that is where she was working.
 */
export const customerTab = ref<'profile' | 'replies' | 'bundles' | 'coupons'>('profile')
export const groupTab = ref<'members' | 'replies' | 'bundles'>('members')
