/**
 * What each kind of CRM file holds, how a row is read, and how a batch is written:
 * the registry of kinds, one file a kind under kinds/.
 * Keys come from the CRM (store, member, product and order ids, WeCom userids); a row
 * whose key exists updates it.
 */
import { customers } from './kinds/customers'
import { guides } from './kinds/guides'
import { members } from './kinds/members'
import { orders } from './kinds/orders'
import { productImages } from './kinds/product-images'
import { products } from './kinds/products'
import { skus } from './kinds/skus'
import { stock } from './kinds/stock'
import { stores } from './kinds/stores'

export type { Column, KindSpec } from './kinds/shared'

export const IMPORT_KINDS = {
  stores,
  guides,
  members,
  customers,
  products,
  skus,
  stock,
  product_images: productImages,
  orders,
} as const
export type ImportKind = keyof typeof IMPORT_KINDS
