import type { BirthdayList, TaskList, TaskListQuery } from '@/shared/tasks'
import { http } from './http'

const task = (id: string) => `/tasks/${encodeURIComponent(id)}`

/** Her tasks of one status (and kind), a page at a time. */
export async function fetchTasks(query: TaskListQuery, options: { signal?: AbortSignal } = {}): Promise<TaskList> {
  return (await http.get<TaskList>('/tasks', { params: query, signal: options.signal })).data
}

export async function completeTask(taskId: string): Promise<void> {
  await http.post(`${task(taskId)}/complete`)
}

export async function skipTask(taskId: string, reason: string): Promise<void> {
  await http.post(`${task(taskId)}/skip`, { reason })
}

/** This or next month's birthdays among her customers. */
export async function fetchBirthdays(month: 'this' | 'next', options: { signal?: AbortSignal } = {}): Promise<BirthdayList> {
  return (await http.get<BirthdayList>('/tasks/birthdays', { params: { month }, signal: options.signal })).data
}
