/**
 * The clock: every part that needs "now" receives one, so a test can fix time and two readings in
 * one operation can be made to agree. Only the composition root uses the system clock.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
