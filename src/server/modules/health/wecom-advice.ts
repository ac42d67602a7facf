/**
 * What an admin should do about what WeCom last said, in words (shown by `/api/health`).
 * The errcodes and where each is fixed: /work/shared/wecom-reference.md §3 and §5.
 */
import { WecomErrcode } from '../../wecom/errors'

export function wecomAdvice(error: { errcode: number | null; errmsg: string; api: string }): string {
  switch (error.errcode) {
    case WecomErrcode.ipNotTrusted: {
      // WeCom names the refused address in errmsg ("..., from ip: 1.2.3.4, ..."): the one to add.
      const ip = /from ip:\s*([0-9a-fA-F.:]+)/.exec(error.errmsg)?.[1]
      return (
        `WeCom refused this server's IP address${ip ? ` ${ip}` : ''} (60020, on ${error.api}). In the WeCom admin ` +
        `console open 应用管理 → this app → 企业可信IP and add every outbound IP the instances reach ` +
        `qyapi.weixin.qq.com from (the NAT's public addresses); it takes about a minute to apply.`
      )
    }
    case WecomErrcode.apiNotAuthorized:
      return (
        `WeCom says this app may not call ${error.api} (48002). In the WeCom admin console open 客户与上下游 → ` +
        `客户联系 → API → 可调用接口的应用 and add this app (a self-built app, with its own Secret in WECOM_SECRET), ` +
        `and check the app's visible range covers the guides.`
      )
    case WecomErrcode.invalidSecret:
      return (
        `WeCom refused WECOM_SECRET (40001, on ${error.api}): copy the Secret of this app (应用管理 → this app → ` +
        `Secret) into WECOM_SECRET and restart, and check the app is enabled. Repeated wrong secrets get the IP blocked for an hour.`
      )
    case WecomErrcode.invalidCorpId:
      return `WeCom does not know WECOM_CORP_ID (40013, on ${error.api}): copy 我的企业 → 企业信息 → 企业ID into WECOM_CORP_ID and restart.`
    case WecomErrcode.tokenOfOtherAgent:
      return (
        `WECOM_SECRET belongs to another app than WECOM_AGENT_ID (301002, on ${error.api}): take both the ` +
        `AgentId and the Secret from the same app (应用管理 → this app) and restart.`
      )
    case null:
      return (
        `WeCom did not answer this instance (${error.api}: network, DNS, proxy or timeout). Check the instance ` +
        `reaches https://qyapi.weixin.qq.com; the sidebar serves its copies meanwhile.`
      )
    case WecomErrcode.busy:
    case WecomErrcode.frequencyLimit:
    case WecomErrcode.concurrencyLimit:
      return (
        `WeCom asked us to slow down on ${error.api} (${error.errcode}); the sidebar waits and serves its copies ` +
        `meanwhile. If it lasts, check nothing else calls WeCom with this app's Secret.`
      )
    default:
      return `WeCom refused ${error.api} with errcode ${error.errcode} (${error.errmsg}).`
  }
}
