/**
 * Journey health for Parcours: the health score and its formula, date ranges and their URL form, the
 * breakdown of a journey by stage, group, channel and persona, the engagement ladder, the loops funnel,
 * what changed since last week and the touchpoint × week heatmap. Pure: the server reads sums from the
 * database and asks here; the pages show what comes back.
 *
 * @module
 */
export * from './types';
export * from './score';
export * from './query';
export * from './rollup';
export * from './ladder';
export * from './funnel';
export * from './changes';
export * from './heatmap';
