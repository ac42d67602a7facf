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
  /** Busy less the time the host took for itself (steal): what this machine's own work cost. */
  own: number
}

/** Linux's clock ticks a second (USER_HZ), as /proc/stat counts them. */
const TICKS_PER_SECOND = 100

export function cpuTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
    // user nice system idle iowait irq softirq steal
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number)
    const busy = user! + nice! + system! + irq! + softirq! + steal!
    return { busy, total: busy + idle! + iowait!, own: busy - steal! }
  } catch {
    return null
  }
}

/** The share of all cores busy between two readings, 0–1 (null if either is missing). */
export function busyBetween(before: CpuTicks | null, after: CpuTicks | null): number | null {
  if (!before || !after || after.total <= before.total) return null
  return (after.busy - before.busy) / (after.total - before.total)
}

/**
 * The CPU time the whole machine spent between two readings (server, database, load
 * generator), in microseconds, for each of `requests`: what a request costs however busy
 * the cores were. Null if a reading is missing.
 */
export function cpuMicrosPerRequest(before: CpuTicks | null, after: CpuTicks | null, requests: number): number | null {
  if (!before || !after || requests <= 0) return null
  return ((after.own - before.own) / TICKS_PER_SECOND / requests) * 1e6
}

export const coreCount = (): number => cpus().length
