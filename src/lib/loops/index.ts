/**
 * Loops for Parcours: the pure rules behind listen → solve → measure → follow-up, the measure of a
 * loop's effect, crisis and buzz detection, follow-up messages, outgoing webhooks and journey metrics.
 * No framework, no database: the server gathers facts, asks here, and stores what comes back. See
 * README.md for how the pieces fit.
 *
 * @module
 */
export * from './rules';
export * from './measure';
export * from './detector';
export * from './follow-up';
export * from './webhook';
export * from './metrics';
export * from './statistics';
export * from './validate';
