import type { Task } from '@/shared/tasks'

export interface TaskGroups {
  overdue: Task[]
  today: Task[]
  upcoming: Task[]
}

/** `YYYY-MM-DD` for the guide's own calendar day. */
export function localDay(now: number = Date.now()): string {
  const d = new Date(now)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

export function groupTasks(tasks: Task[], today: string): TaskGroups {
  return {
    overdue: tasks.filter((task) => task.dueDate < today),
    today: tasks.filter((task) => task.dueDate === today),
    upcoming: tasks.filter((task) => task.dueDate > today),
  }
}
