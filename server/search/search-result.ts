// What a search answers (GET /api/search, the search page, the feed): the types come from the
// response schemas (server/api/responses.ts), which /api/openapi.json is generated from too.
export type { QueryReading, SearchHit, SearchResult } from '../api/responses.js';
