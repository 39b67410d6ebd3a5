/**
 * Why machine translation or a notification did not go through, as stable codes a person reads in
 * their language (locales: ui:machine.why.*, notify-desk:failure.*) beside the outside service's
 * own English words, which stay as a detail and in the log. The code is decided where the failure
 * is sorted (a provider's error mapping, a channel's), never read back from the message.
 */

/** Why a machine draft did not come (translations.error_code). */
export const machineReasons = [
  // from a provider's error mapping (translate/providers/*.ts)
  'quota_exceeded', 'auth_failed', 'rate_limited', 'timeout', 'unreachable', 'provider_unavailable',
  'malformed_answer', 'text_too_long', 'request_refused', 'glossary_missing', 'unexpected',
  // from the translation service itself
  'budget_spent', 'unsupported_language', 'no_machine_drafts', 'no_usable_draft',
] as const;
export type MachineReason = (typeof machineReasons)[number];

/** Why a notification was not delivered, or not sent at all (notifications.last_error_code). */
export const deliveryReasons = [
  'person_disabled', 'event_unwanted', 'channel_not_set_up', 'no_address',
  'stopping', 'timeout', 'unreachable', 'refused', 'unexpected',
] as const;
export type DeliveryReason = (typeof deliveryReasons)[number];

/**
 * Why a foreign outlet's item has no Vietnamese translation (foreign_items.vi_error_reasons), one
 * per monitoring provider asked: it does not translate the pair, or it refused the item for a
 * machine reason; `no_provider` when none makes machine translations at all.
 */
export type MonitoringReason =
  | { code: 'unsupported_pair'; provider: string; language: string }
  | { code: 'refused'; provider: string; reason: MachineReason }
  | { code: 'no_provider' };
