export { EventQueue } from './event-queue.js';
export { Kernel, type EventHandler } from './kernel.js';
export type { EventHandle, ScheduledEvent } from './types.js';
