// The OpenAPI 3.1 description of the JSON API. Tests check real responses against its schemas.
import { MAX_FILTER_VALUES, MAX_QUERY_CHARS, SCRIPTS, SORTS } from './search/params.js';
import { MAX_VERIFIED_CANDIDATES } from './search/loose-phrases.js';
import { MAX_TERMS } from './search/query.js';
import { TOPICS } from '../core/topics.js';
import { EXPORT_MAX } from './routes/export.js';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** Every /api/* route is rate limited per client (RATE_LIMIT_PER_MINUTE). */
const rateLimited = errorResponse(
  'Too many requests from this client (`rate_limited`). The `RateLimit` and `RateLimit-Policy` headers (IETF draft 8) ' +
    'are sent with every /api response; `Retry-After` says how many seconds to wait.',
);

const scriptParam = {
  name: 'script',
  in: 'query',
  description: 'Script of the text shown: the article\'s own (`orig`), simplified (`hans`) or traditional (`hant`).',
  schema: { type: 'string', enum: [...SCRIPTS], default: 'orig' },
};

const nullableDate = { type: ['string', 'null'], format: 'date-time' };

/** The parameters that select stories: shared by search, timeline, export and the feed. */
const searchFilters = [
  {
    name: 'q',
    in: 'query',
    description:
      `Query in any script, at most ${MAX_QUERY_CHARS} characters; empty: browse. Only the first ${MAX_TERMS} terms are searched (see query.notes). ` +
      'Words separated by spaces or Chinese punctuation (，、；) must all occur. A Chinese word (two characters or more) matches as a substring, ' +
      'in either script and in mainland, Taiwan or Hong Kong vocabulary; unspaced Chinese longer than one word is segmented and its words must all occur ' +
      '(the exact string ranks first). Other words and numbers match whole, case-insensitive, never as prefixes. "…" is an exact phrase; ' +
      '-word and -"phrase" exclude. OR is not supported. Single Chinese characters are left out (see query.notes). ' +
      '`total` and every facet count are exact under these rules.',
    schema: { type: 'string', maxLength: MAX_QUERY_CHARS },
  },
  { name: 'outlet', in: 'query', description: `Outlet ids (repeatable, OR-ed, at most ${MAX_FILTER_VALUES}).`, style: 'form', explode: true, schema: { type: 'array', maxItems: MAX_FILTER_VALUES, items: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' } } },
  { name: 'topic', in: 'query', description: 'Topics (repeatable, OR-ed).', style: 'form', explode: true, schema: { type: 'array', maxItems: MAX_FILTER_VALUES, items: { type: 'string', enum: [...TOPICS] } } },
  { name: 'from', in: 'query', description: 'First day, inclusive (YYYY-MM-DD, UTC+8).', schema: { type: 'string', format: 'date' } },
  { name: 'to', in: 'query', description: 'Last day, inclusive (YYYY-MM-DD, UTC+8); not before `from`. When `from` and `to` lie in one year, month counts are returned.', schema: { type: 'string', format: 'date' } },
] as const;

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
        parameters: [
          ...searchFilters,
          { name: 'sort', in: 'query', description: 'Default: `relevance` with a query, `newest` without.', schema: { type: 'string', enum: [...SORTS] } },
          { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
          { name: 'perPage', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          scriptParam,
        ],
        responses: {
          '200': { description: 'A page of results', content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchResponse' } } } },
          '400': errorResponse('A parameter is invalid; `error.param` names it.'),
          '429': rateLimited,
          '503': errorResponse('Meilisearch is unavailable or too slow.'),
        },
      },
    },
    '/api/articles/{id}': {
      get: {
        operationId: 'getArticle',
        summary: 'One article (by its id or the id of one of its copies)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, scriptParam],
        responses: {
          '200': { description: 'The article', content: { 'application/json': { schema: { $ref: '#/components/schemas/Article' } } } },
          '400': errorResponse('`script` is invalid.'),
          '404': errorResponse('No such article.'),
          '429': rateLimited,
          '503': errorResponse('Meilisearch is unavailable or too slow.'),
        },
      },
    },
    '/api/facets': {
      get: {
        operationId: 'getFacets',
        summary: 'Facet values and counts of the whole index',
        parameters: [scriptParam],
        responses: {
          '200': { description: 'Facets', content: { 'application/json': { schema: { $ref: '#/components/schemas/IndexFacets' } } } },
          '400': errorResponse('`script` is invalid.'),
          '429': rateLimited,
          '503': errorResponse('Meilisearch is unavailable or too slow.'),
        },
      },
    },
    '/api/timeline': {
      get: {
        operationId: 'timeline',
        summary: 'Matching stories per month or year (coverage over time)',
        description: 'The same selection as /api/search; the bucket counts and `undated` add up to `total`, which is the same as /api/search gives. One Meilisearch request.',
        parameters: [
          ...searchFilters,
          { name: 'interval', in: 'query', description: 'Bucket size. Default: month.', schema: { type: 'string', enum: ['month', 'year'], default: 'month' } },
        ],
        responses: {
          '200': { description: 'Counts per bucket', content: { 'application/json': { schema: { $ref: '#/components/schemas/Timeline' } } } },
          '400': errorResponse('A parameter is invalid; `error.param` names it.'),
          '429': rateLimited,
          '503': errorResponse('Meilisearch is unavailable or too slow.'),
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
        parameters: [
          { name: 'format', in: 'query', required: true, schema: { type: 'string', enum: ['csv', 'jsonl'] } },
          ...searchFilters,
          { name: 'sort', in: 'query', description: 'Default: `relevance` with a query, `newest` without.', schema: { type: 'string', enum: [...SORTS] } },
          scriptParam,
        ],
        responses: {
          '200': {
            description: 'The stories, one per line (JSON Lines: one ExportRow object per line).',
            headers: {
              'X-Total-Count': { description: 'The exact number of matching stories, exported or not.', schema: { type: 'integer', minimum: 0 } },
              'X-Export-Truncated': { description: '`true` when more stories match than one export holds.', schema: { type: 'string', enum: ['true', 'false'] } },
              'X-Partial': { description: 'Present when some Meilisearch instance of a network did not answer: the instances left out, comma-separated.', schema: { type: 'string' } },
              'Content-Disposition': { description: 'attachment; filename="tongwen-export-YYYYMMDD.csv" (or .jsonl), dated today in UTC.', schema: { type: 'string' } },
            },
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/x-ndjson': {
                schema: {
                  title: 'ExportRow',
                  type: 'object',
                  required: ['id', 'title', 'url', 'outlet', 'outletName', 'publishedAt', 'topics'],
                  additionalProperties: false,
                  properties: {
                    id: { type: 'string' },
                    title: { type: 'string' },
                    url: { type: 'string' },
                    outlet: { type: 'string' },
                    outletName: { type: 'string' },
                    publishedAt: nullableDate,
                    topics: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
          '400': errorResponse('A parameter is invalid or `format` is missing; `error.param` names it.'),
          '429': rateLimited,
          '503': errorResponse('Meilisearch is unavailable or too slow.'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } }, '429': rateLimited },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        summary: 'Service health',
        responses: {
          '200': { description: 'Searches can be answered. On a network of Meilisearch instances, every instance is listed, and `degraded` means some are down (searches are then partial and say so).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
          '503': errorResponse('Meilisearch is unreachable (on a network: every instance is).'),
        },
      },
    },
  },
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        additionalProperties: false,
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            additionalProperties: false,
            properties: {
              code: { type: 'string', enum: ['invalid_parameter', 'not_found', 'method_not_allowed', 'payload_too_large', 'rate_limited', 'search_unavailable', 'bad_request', 'internal_error'] },
              param: { type: 'string', description: 'The parameter at fault (invalid_parameter only).' },
              message: { type: 'string' },
            },
          },
        },
      },
      FacetValue: {
        type: 'object',
        required: ['value', 'label', 'count'],
        additionalProperties: false,
        properties: { value: { type: 'string' }, label: { type: 'string' }, count: { type: 'integer', minimum: 0 } },
      },
      Facets: {
        type: 'object',
        required: ['outlet', 'topic', 'year'],
        additionalProperties: false,
        properties: {
          outlet: { type: 'array', items: { $ref: '#/components/schemas/FacetValue' } },
          topic: { type: 'array', items: { $ref: '#/components/schemas/FacetValue' } },
          year: { type: 'array', items: { $ref: '#/components/schemas/FacetValue' } },
          month: { type: 'array', items: { $ref: '#/components/schemas/FacetValue' }, description: 'Present when from/to select one year.' },
        },
      },
      IndexFacets: {
        type: 'object',
        required: ['total', 'outlet', 'topic', 'year', 'partial'],
        additionalProperties: false,
        properties: {
          total: { type: 'integer', minimum: 0 },
          partial: { $ref: '#/components/schemas/Partial' },
          missing: { $ref: '#/components/schemas/Missing' },
          outlet: { type: 'array', items: { $ref: '#/components/schemas/FacetValue' } },
          topic: { type: 'array', items: { $ref: '#/components/schemas/FacetValue' } },
          year: { type: 'array', items: { $ref: '#/components/schemas/FacetValue' } },
        },
      },
      Outlet: {
        type: 'object',
        required: ['id', 'name'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, name: { type: 'string' } },
      },
      Hit: {
        type: 'object',
        required: ['id', 'title', 'url', 'outlet', 'topics', 'publishedAt', 'lang', 'titleHtml', 'snippetHtml'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          title: { type: 'string', description: 'As written.' },
          url: { type: 'string' },
          outlet: { $ref: '#/components/schemas/Outlet' },
          topics: { type: 'array', items: { type: 'string' } },
          publishedAt: nullableDate,
          lang: { type: 'string', enum: ['zh-Hans', 'zh-Hant', 'zh'] },
          titleHtml: { type: 'string', description: 'Escaped text with <mark> around matches, in the requested script.' },
          snippetHtml: { type: 'string', description: 'Escaped text around the best match, with <mark>.' },
        },
      },
      SearchResponse: {
        type: 'object',
        required: ['query', 'total', 'page', 'perPage', 'totalPages', 'processingTimeMs', 'partial', 'hits', 'facets'],
        additionalProperties: false,
        properties: {
          query: {
            type: 'object',
            required: ['q', 'normalized', 'outlet', 'topic', 'from', 'to', 'sort', 'page', 'perPage', 'script', 'terms', 'segmented', 'notes'],
            additionalProperties: false,
            properties: {
              q: { type: 'string' },
              normalized: { type: 'string', description: 'The query in canonical script and vocabulary (simplified, mainland words).' },
              terms: {
                type: 'array',
                maxItems: MAX_TERMS,
                description: 'How the query was read: every term must occur (exclude: must not). A Han term matches as a substring in either script, other words whole and case-insensitive; a phrase\'s words consecutively.',
                items: {
                  type: 'object',
                  required: ['text', 'phrase', 'exclude'],
                  additionalProperties: false,
                  properties: {
                    text: { type: 'string', description: 'Canonical text: Han characters, or lower-case words separated by spaces.' },
                    phrase: { type: 'boolean', description: 'Typed in quotes.' },
                    exclude: { type: 'boolean', description: 'Typed with a minus: stories containing it are left out.' },
                    from: { type: 'string', description: 'The unspaced string this word was segmented from.' },
                  },
                },
              },
              segmented: {
                type: 'array',
                description: 'Unspaced Chinese read as several words (all must occur; stories with the exact string rank first). Search the string in quotes for the exact string only.',
                items: {
                  type: 'object',
                  required: ['from', 'words'],
                  additionalProperties: false,
                  properties: { from: { type: 'string' }, words: { type: 'array', items: { type: 'string' } } },
                },
              },
              notes: {
                type: 'array',
                description: 'Parts of the query read differently from how they were typed.',
                items: {
                  type: 'object',
                  required: ['code', 'message'],
                  additionalProperties: false,
                  properties: {
                    code: { type: 'string', enum: ['single_character', 'unbalanced_quote', 'or_unsupported', 'mixed_phrase', 'searched_as_written', 'too_many_terms'] },
                    text: { type: 'string' },
                    message: { type: 'string' },
                  },
                },
              },
              outlet: { type: 'array', items: { type: 'string' } },
              topic: { type: 'array', items: { type: 'string' } },
              from: { type: ['string', 'null'], format: 'date' },
              to: { type: ['string', 'null'], format: 'date' },
              sort: { type: 'string', enum: [...SORTS] },
              page: { type: 'integer' },
              perPage: { type: 'integer' },
              script: { type: 'string', enum: [...SCRIPTS] },
            },
          },
          total: { type: 'integer', minimum: 0, description: 'The exact number of stories that match, however many; an upper bound when `bounded` is present.' },
          page: { type: 'integer', minimum: 1 },
          perPage: { type: 'integer', minimum: 1, maximum: 100 },
          totalPages: { type: 'integer', minimum: 0, description: 'Pages reach the first 50,000 hits.' },
          processingTimeMs: { type: 'integer', minimum: 0 },
          partial: { $ref: '#/components/schemas/Partial' },
          missing: { $ref: '#/components/schemas/Missing' },
          bounded: {
            type: 'object',
            required: ['verified', 'candidates'],
            additionalProperties: false,
            description: `Present when the query has long terms (Chinese of five characters or more, phrases of three words or more), which Meilisearch also matches in stories that have only their pieces, and more stories to check for them than a search checks (${MAX_VERIFIED_CANDIDATES.toLocaleString('en-US')}). \`total\`, the facet counts and the hits may then include up to candidates − verified stories that do not satisfy the query: \`total\` is an upper bound, and at least \`total\` − (candidates − verified) stories match.`,
            properties: {
              verified: { type: 'integer', minimum: 0, description: 'Stories checked.' },
              candidates: { type: 'integer', minimum: 0, description: 'Stories to check (counted once per excluded long term, and once for the required ones).' },
            },
          },
          coverage: { $ref: '#/components/schemas/Coverage', description: 'Absent when the server runs with COVERAGE_CHART=off.' },
          hits: { type: 'array', items: { $ref: '#/components/schemas/Hit' } },
          facets: { $ref: '#/components/schemas/Facets' },
        },
      },
      Article: {
        type: 'object',
        required: ['id', 'url', 'title', 'outlet', 'publishedAt', 'updatedAt', 'topics', 'tags', 'author', 'image', 'excerpt', 'paragraphs', 'script', 'lang', 'alsoPublishedAs'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          url: { type: 'string' },
          title: { type: 'string' },
          outlet: { $ref: '#/components/schemas/Outlet' },
          publishedAt: nullableDate,
          updatedAt: nullableDate,
          topics: { type: 'array', items: { type: 'string' } },
          tags: { type: 'array', items: { type: 'string' } },
          author: { type: ['string', 'null'] },
          image: { type: ['string', 'null'] },
          excerpt: { type: 'string' },
          paragraphs: { type: 'array', items: { type: 'string' } },
          script: { type: 'string', enum: ['hans', 'hant', 'mixed'] },
          lang: { type: 'string' },
          alsoPublishedAs: {
            type: 'array',
            description: 'Other URLs of the same story (near-duplicate copies).',
            items: { type: 'object', required: ['id', 'url'], additionalProperties: false, properties: { id: { type: 'string' }, url: { type: 'string' } } },
          },
        },
      },
      Health: {
        type: 'object',
        required: ['status', 'meilisearch', 'documents'],
        additionalProperties: false,
        properties: {
          status: { enum: ['ok', 'degraded'] },
          meilisearch: { enum: ['available', 'partial'] },
          documents: { type: 'integer', minimum: 0, description: 'Searchable stories (on a network: on the instances that answer).' },
          instances: {
            type: 'array',
            description: 'On a network of Meilisearch instances (MEILI_INSTANCES): each one.',
            items: {
              type: 'object',
              required: ['name', 'status'],
              additionalProperties: false,
              properties: {
                name: { type: 'string' },
                status: { enum: ['available', 'unavailable'] },
                documents: { type: 'integer', minimum: 0 },
                reason: { type: 'string' },
              },
            },
          },
        },
      },
      Timeline: {
        type: 'object',
        required: ['query', 'total', 'interval', 'buckets', 'undated', 'partial'],
        additionalProperties: false,
        properties: {
          query: {
            type: 'object',
            required: ['q', 'normalized', 'outlet', 'topic', 'from', 'to'],
            additionalProperties: false,
            properties: {
              q: { type: 'string' },
              normalized: { type: 'string' },
              outlet: { type: 'array', items: { type: 'string' } },
              topic: { type: 'array', items: { type: 'string' } },
              from: { type: ['string', 'null'] },
              to: { type: ['string', 'null'] },
            },
          },
          total: { type: 'integer', minimum: 0 },
          interval: { enum: ['month', 'year'] },
          buckets: { $ref: '#/components/schemas/Coverage/properties/buckets' },
          undated: { type: 'integer', minimum: 0 },
          partial: { $ref: '#/components/schemas/Partial' },
          missing: { $ref: '#/components/schemas/Missing' },
        },
      },
      Coverage: {
        type: 'object',
        description: 'Matching stories per month, or per year when the span is longer than 72 months: every bucket from the first to the last (over from/to when given), empty ones included. The counts and `undated` add up to `total`.',
        required: ['interval', 'buckets', 'undated'],
        additionalProperties: false,
        properties: {
          interval: { enum: ['month', 'year'] },
          buckets: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'from', 'to', 'count'],
              additionalProperties: false,
              properties: {
                key: { type: 'string', pattern: '^\\d{4}(-\\d{2})?$', description: 'YYYY-MM or YYYY' },
                from: { type: 'string', format: 'date', description: 'First day of the bucket: the `from` that narrows a search to it.' },
                to: { type: 'string', format: 'date', description: 'Last day of the bucket.' },
                count: { type: 'integer', minimum: 0 },
              },
            },
          },
          undated: { type: 'integer', minimum: 0, description: 'Matching stories without a publication date.' },
        },
      },
      Partial: {
        type: 'boolean',
        description: 'True when a Meilisearch instance of a network did not answer: totals, facet counts and hits then cover the other instances only, and `missing` names the ones left out.',
      },
      Missing: {
        type: 'array',
        items: {
          type: 'object',
          required: ['instance', 'reason'],
          additionalProperties: false,
          properties: { instance: { type: 'string' }, reason: { type: 'string' } },
        },
      },
    },
  },
} as const;
