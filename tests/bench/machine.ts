/**
 * How busy the whole machine was while a load ran, from Linux's /proc/stat: a ratio against
 * `/api/health` reads differently when the issue rounds leave cores idle (the sends are
 * bound by their latency) than when every core is taken (bound by the CPU). Null where
 * /proc/stat cannot be read.
 */
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'

export interface CpuTicks {
  busy: number
  total: number
}

export function cpuTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
    // user nice system idle iowait irq softirq steal
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number)
    const busy = user! + nice! + system! + irq! + softirq! + steal!
    return { busy, total: busy + idle! + iowait! }
  } catch {
    return null
  }
}

/** The share of all cores busy between two readings, 0–1 (null if either is missing). */
export function busyBetween(before: CpuTicks | null, after: CpuTicks | null): number | null {
  if (!before || !after || after.total <= before.total) return null
  return (after.busy - before.busy) / (after.total - before.total)
}

export const coreCount = (): number => cpus().length
