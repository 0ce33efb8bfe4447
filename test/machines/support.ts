/** Helpers for driving the consultation machine in tests, without any channel. */
import { startConversation, stepConversation } from '../../machines/conversation.js';
import type { ConsultationEvent } from '../../machines/events.js';
import type { View } from '../../machines/view.js';
import { type ConsultationSnapshot, viewOf } from '../../machines/views.js';

export const AS_OF = '2026-11-28';

/** Starts a conversation and agrees to the consent question. */
export function consented(lang = 'zh-CN'): ConsultationSnapshot {
  return stepConversation(startConversation({ asOf: AS_OF, lang }), { type: 'CHOOSE', id: 'agree' });
}

/** Applies events in order; returns the final snapshot. */
export function run(snapshot: ConsultationSnapshot, ...events: ConsultationEvent[]): ConsultationSnapshot {
  return events.reduce(stepConversation, snapshot);
}

/** Shorthands for events. */
export const say = (text: string): ConsultationEvent => ({ type: 'TEXT', text });
export const tap = (id: string): ConsultationEvent => ({ type: 'CHOOSE', id });
export const command = (
  name: 'back' | 'restart' | 'summary' | 'help' | 'language' | 'delete',
  lang?: string,
): ConsultationEvent => ({
  type: 'COMMAND',
  command: name,
  ...(lang ? { lang } : {}),
});

/** The view of a snapshot. */
export const view = (snapshot: ConsultationSnapshot): View => viewOf(snapshot);
