/** Journey version history: diffs, the automatic-version policy, retention, restore (pure). */
export * from './diff';
export * from './policy';
export * from './retention';
export * from './documents';
