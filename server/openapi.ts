// The OpenAPI 3.1 description of the JSON API, made from the contract's zod schemas: each route's
// parameters from its query schema (server/search/params.ts), the bodies from the registered
// response schemas (server/api/responses.ts). Written here is only what those cannot say: the
// routes, their summaries, status codes and headers. Tests check real responses against it.
import { z } from 'zod';
import { components, ExportRow } from './api/responses.js';
import { EXPORT_MAX } from './routes/export.js';
import { exportQuery, scriptQuery, searchQuery, termsQuery, timelineQuery } from './search/params.js';

type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * What zod writes that the document does not need: the bounds of a safe integer on every z.int(),
 * and the pattern beside `format: date` or `date-time`, which says the same.
 */
function tidy({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.format === 'date' || jsonSchema.format === 'date-time') delete jsonSchema.pattern;
}

/** A schema inside the document: no `$schema` of its own, and no `$id` (components are found by their path). */
function embedded({ $schema: _schema, $id: _id, ...rest }: JsonSchema): JsonSchema {
  return rest;
}

const schemas = Object.fromEntries(
  Object.entries(
    z.toJSONSchema(components, { target: 'draft-2020-12', io: 'output', uri: (id) => `#/components/schemas/${id}`, override: tidy })
      .schemas,
  ).map(([id, schema]) => [id, embedded(schema)]),
);

/** A query parameter has no null: null values (the defaults of from, to and sort) are its absence. */
function withoutNull(schema: JsonSchema): JsonSchema {
  const { anyOf, default: fallback, ...rest } = schema;
  const branches = anyOf?.filter((s) => typeof s !== 'object' || s.type !== 'null');
  const base = branches?.length === 1 && typeof branches[0] === 'object' ? { ...rest, ...branches[0] } : anyOf ? { ...rest, anyOf } : rest;
  return fallback === null || fallback === undefined ? base : { ...base, default: fallback };
}

/** The query parameters a route's schema reads, in its order; required when absence is an error. */
function parameters(query: z.ZodObject): object[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const { description, ...schema } = withoutNull(embedded(z.toJSONSchema(field as z.ZodType, { io: 'output', override: tidy })));
    return {
      name,
      in: 'query',
      ...(description ? { description } : {}),
      ...((field as z.ZodType).safeParse(undefined).success ? {} : { required: true }),
      ...(schema.type === 'array' ? { style: 'form', explode: true } : {}),
      schema,
    };
  });
}

const json = (schema: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } });
const errorResponse = (description: string) => ({ description, content: json('Error') });

/** Every /api/* route is rate limited per client (RATE_LIMIT_PER_MINUTE). */
const rateLimited = errorResponse(
  'Too many requests from this client (`rate_limited`). The `RateLimit` and `RateLimit-Policy` headers (IETF draft 8) ' +
    'are sent with every /api response; `Retry-After` says how many seconds to wait.',
);
const unavailable = errorResponse('Meilisearch is unavailable or too slow.');
const invalid = errorResponse('A parameter is invalid; `error.param` names it.');

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Tongwen (同文) search API',
    version: '1.0.0',
    description:
      'Faceted full-text search over Chinese-language news. Queries and documents are normalized to one script, ' +
      'so a query in simplified or traditional Chinese, with mainland, Taiwan or Hong Kong vocabulary, finds ' +
      'articles written in either. Dates are calendar days in Hong Kong/Beijing time (UTC+8).',
  },
  servers: [{ url: '/' }],
  paths: {
    '/api/search': {
      get: {
        operationId: 'search',
        summary: 'Search articles, with facet counts',
        parameters: parameters(searchQuery),
        responses: {
          '200': { description: 'A page of results', content: json('SearchResponse') },
          '400': invalid,
          '429': rateLimited,
          '503': unavailable,
        },
      },
    },
    '/api/terms': {
      get: {
        operationId: 'terms',
        summary: 'The words that stand out in the matching stories, each counted exactly',
        description:
          'The same selection as /api/search. Up to 30 words much more frequent among the matching stories than in the archive ' +
          '(see TermsPanel), each with the exact number of matching stories that contain it. Two Meilisearch requests: one for the ' +
          'candidates (the keywords of the matching stories and of the archive, as facets), one multi-search that counts them.',
        parameters: parameters(termsQuery),
        responses: {
          '200': { description: 'The words', content: json('TermsResponse') },
          '400': invalid,
          '429': rateLimited,
          '503': unavailable,
        },
      },
    },
    '/api/articles/{id}': {
      get: {
        operationId: 'getArticle',
        summary: 'One article (by its id or the id of one of its copies)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...parameters(scriptQuery)],
        responses: {
          '200': { description: 'The article', content: json('Article') },
          '400': errorResponse('`script` is invalid.'),
          '404': errorResponse('No such article.'),
          '429': rateLimited,
          '503': unavailable,
        },
      },
    },
    '/api/articles/{id}/related': {
      get: {
        operationId: 'getRelated',
        summary: 'The same event in other outlets: stories within three days that share the most keywords and names',
        description:
          'Two Meilisearch requests: the story, then its candidates (other outlets, the window, a word or name in common), ranked by the words and names they share.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...parameters(scriptQuery)],
        responses: {
          '200': { description: 'The related stories', content: json('RelatedResponse') },
          '400': errorResponse('`script` is invalid.'),
          '404': errorResponse('No such article.'),
          '429': rateLimited,
          '503': unavailable,
        },
      },
    },
    '/api/facets': {
      get: {
        operationId: 'getFacets',
        summary: 'Facet values and counts of the whole index',
        parameters: parameters(scriptQuery),
        responses: {
          '200': { description: 'Facets', content: json('IndexFacets') },
          '400': errorResponse('`script` is invalid.'),
          '429': rateLimited,
          '503': unavailable,
        },
      },
    },
    '/api/timeline': {
      get: {
        operationId: 'timeline',
        summary: 'Matching stories per month or year (coverage over time)',
        description:
          'The same selection as /api/search; the bucket counts and `undated` add up to `total`, which is the same as /api/search gives. One Meilisearch request. ' +
          '`sort`, `script`, `page` and `perPage` are checked as /api/search checks them, and change nothing.',
        parameters: parameters(timelineQuery),
        responses: {
          '200': { description: 'Counts per bucket', content: json('Timeline') },
          '400': invalid,
          '429': rateLimited,
          '503': unavailable,
        },
      },
    },
    '/api/export': {
      get: {
        operationId: 'exportStories',
        summary: 'Every matching story, as CSV or JSON Lines',
        description:
          'The stories /api/search finds for the same parameters, in the order its pages show them (page and perPage are ignored), ' +
          `at most ${EXPORT_MAX.toLocaleString('en')}, streamed. ` +
          'Columns in this order: id, title (in the requested script), url, outlet (id), outletName, ' +
          'publishedAt (ISO 8601 UTC; empty or null when undated), topics (CSV: joined by `;`). No body text. CSV has a UTF-8 BOM, ' +
          'a header row, CRLF line ends and RFC 4180 quoting; a cell beginning with =, +, -, @, tab or CR (or their full-width forms) ' +
          'gets a leading apostrophe so that spreadsheets do not read it as a formula.',
        parameters: parameters(exportQuery),
        responses: {
          '200': {
            description: 'The stories, one per line (JSON Lines: one ExportRow object per line).',
            headers: {
              'X-Total-Count': {
                description: 'The exact number of matching stories, exported or not.',
                schema: { type: 'integer', minimum: 0 },
              },
              'X-Export-Truncated': {
                description: '`true` when more stories match than one export holds.',
                schema: { type: 'string', enum: ['true', 'false'] },
              },
              'X-Partial': {
                description: 'Present when some Meilisearch instance of a network did not answer: the instances left out, comma-separated.',
                schema: { type: 'string' },
              },
              'Content-Disposition': {
                description: 'attachment; filename="tongwen-export-YYYYMMDD.csv" (or .jsonl), dated today in UTC.',
                schema: { type: 'string' },
              },
            },
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/x-ndjson': { schema: embedded(z.toJSONSchema(ExportRow, { io: 'output', override: tidy })) },
            },
          },
          '400': errorResponse('A parameter is invalid or `format` is missing; `error.param` names it.'),
          '429': rateLimited,
          '503': unavailable,
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        responses: {
          '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } },
          '429': rateLimited,
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        summary: 'Service health',
        responses: {
          '200': {
            description:
              'Searches can be answered. On a network of Meilisearch instances, every instance is listed; `degraded` means some are down, and `meilisearch: partial` that a shard has no replica up (searches are then partial and say so).',
            content: json('Health'),
          },
          '503': errorResponse('Meilisearch is unreachable (on a network: every instance is).'),
        },
      },
    },
  },
  components: { schemas },
};
