// The bounds of the results of verifying long phrases (loose-phrases.ts), kept until the live
// index changes (versioned-cache.ts): the same search costs one small request (the index's
// version) instead of reading its candidates again.

/** Searches whose verification is kept at most. */
export const VERIFIED_CACHE_ENTRIES = 1_000;
/** Bytes of kept ids at most (an id counts its length twice, as a string in memory, plus 32). */
export const VERIFIED_CACHE_BYTES = 8 * 1024 * 1024;
