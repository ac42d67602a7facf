/**
 * Where WeCom opened the app (`getContext().entry`). The list follows the JS-SDK's
 * EntryType; anything we do not know is treated as `normal` (the workbench).
 */
export const WECOM_ENTRIES = [
  'contact_profile',
  'single_chat_tools',
  'group_chat_tools',
  'chat_attachment',
  'single_kf_tools',
  'chain_single_chat_tools',
  'chain_group_chat_tools',
  'internal_group_chat_board',
  'normal',
] as const

export type WecomEntry = (typeof WECOM_ENTRIES)[number]

/** The screen an entry leads to. */
export type EntryView = 'customer' | 'group' | 'workbench'

export function viewForEntry(entry: string): EntryView {
  switch (entry) {
    case 'single_chat_tools':
    case 'contact_profile':
    case 'single_kf_tools':
    case 'chain_single_chat_tools':
      return 'customer'
    case 'group_chat_tools':
    case 'chain_group_chat_tools':
      return 'group'
    default:
      return 'workbench'
  }
}
