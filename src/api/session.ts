import type { Me } from '@/shared/auth'
import { http } from './http'

export async function fetchMe(): Promise<Me> {
  return (await http.get<Me>('/me')).data
}

export async function logout(): Promise<void> {
  await http.post('/auth/logout')
}

/** Where to send the browser to sign in through WeCom and come back to `returnTo`. */
export function loginUrl(returnTo: string): string {
  return `/api/auth/login?return=${encodeURIComponent(returnTo)}`
}
