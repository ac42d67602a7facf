import type { ClientConfig, JssdkSignature, SignatureType } from '@/shared/wecom'
import { http } from './http'

export async function fetchJssdkSignature(url: string, type: SignatureType): Promise<JssdkSignature> {
  return (await http.get<JssdkSignature>('/wecom/jssdk-signature', { params: { url, type } })).data
}

export async function fetchClientConfig(): Promise<ClientConfig> {
  return (await http.get<ClientConfig>('/wecom/config')).data
}
