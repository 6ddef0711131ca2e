// The JSON the API answers, as zod schemas: the response types of the search code are z.output
// of them, and server/openapi.ts writes them as the components of /api/openapi.json (the ones
// registered in `components`, under their ids). Descriptions here are the API's documentation.
import { z } from 'zod';
import { MAX_TOTAL_HITS } from '../../core/index-settings.js';
import type { Script } from '../../core/schema.js';
import { MAX_MONTH_BUCKETS } from '../search/coverage-buckets.js';
import { NAME_FACET_VALUES } from '../search/filters.js';
import { MAX_VERIFIED_CANDIDATES } from '../search/loose-phrases.js';
import { NETWORK_REACHABLE_HITS } from '../search/network-backend.js';
import { INTERVALS, MAX_FILTER_VALUES, SCRIPTS, SORTS, PAGE, PER_PAGE, UNDATED } from '../search/params.js';
import { MAX_TERMS } from '../search/query.js';
import { MAX_ALTERNATIVES } from '../search/query-language.js';
import { MAX_ARCHIVE_SHARE, MIN_LIFT, MIN_TERM_STORIES, TERMS_SHOWN } from '../search/terms.js';
import { MIN_SHARED, RELATED_SHOWN, RELATED_WINDOW_DAYS } from '../search/related.js';
import { KEYWORDS_PER_STORY } from '../../core/text/extract.js';

/** The schemas /api/openapi.json lists under components.schemas, each by its id. */
export const components = z.registry<{ id: string }>();
function component<T extends z.ZodType>(id: string, schema: T): T {
  components.add(schema, { id });
  return schema;
}

const count = z.int().min(0);
const day = z.iso.date();
const nullableTime = z.iso.datetime().nullable();

export const ERROR_CODES = [
  'invalid_parameter',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'rate_limited',
  'search_unavailable',
  'bad_request',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = component(
  'Error',
  z.object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      param: z.string().optional().meta({ description: 'The parameter at fault (invalid_parameter only).' }),
      message: z.string(),
    }),
  }),
);

export const Partial = component(
  'Partial',
  z.boolean().meta({
    description:
      'True when a Meilisearch instance of a network did not answer: totals, facet counts and hits then cover the other instances only, and `missing` names the ones left out.',
  }),
);

export const Missing = component('Missing', z.array(z.object({ instance: z.string(), reason: z.string() })));
/** An instance whose documents are not in an answer, and why. */
export type MissingInstance = z.output<typeof Missing>[number];

export const FacetValue = component('FacetValue', z.object({ value: z.string(), label: z.string(), count }));
export type FacetValue = z.output<typeof FacetValue>;
const facetList = z.array(FacetValue);

export const Facets = component(
  'Facets',
  z.object({
    outlet: facetList,
    topic: facetList,
    year: facetList,
    month: facetList.optional().meta({ description: 'Present when from/to select one year.' }),
    undated: count.meta({
      description: 'Stories without a publication date, counted like the years (without from, to or undated): what `undated=only` finds.',
    }),
    person: facetList.meta({
      description: `People the matching stories name (extracted at index time, from the project's list), the ${NAME_FACET_VALUES} most frequent and any chosen; counted without the person filter (disjunctive). Values are canonical, labels in the requested script.`,
    }),
    place: facetList.meta({ description: 'Places the matching stories name, as `person`.' }),
    organization: facetList.meta({ description: 'Organizations the matching stories name, as `person`.' }),
  }),
);

export const IndexFacets = component(
  'IndexFacets',
  z.object({ total: count, partial: Partial, missing: Missing.optional(), outlet: facetList, topic: facetList, year: facetList }),
);

export type IndexFacetsJson = z.output<typeof IndexFacets>;

export const Outlet = component('Outlet', z.object({ id: z.string(), name: z.string() }));

/** BCP 47 tags of text as shown (server/search/display.ts langOf). */
export const LANGS = ['zh-Hans', 'zh-Hant', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

export const Hit = component(
  'Hit',
  z.object({
    id: z.string(),
    title: z.string().meta({ description: 'As written.' }),
    url: z.string(),
    outlet: Outlet,
    topics: z.array(z.string()),
    publishedAt: nullableTime,
    lang: z.enum(LANGS).meta({ description: 'Language tag of titleHtml and snippetHtml as shown.' }),
    titleHtml: z.string().meta({ description: 'Escaped text with <mark> around matches, in the requested script.' }),
    snippetHtml: z.string().meta({ description: 'Escaped text around the best match, with <mark>.' }),
    copies: count.meta({ description: 'Other URLs of the same story (near-duplicate copies), listed by /api/articles/{id}.' }),
  }),
);
export type SearchHit = z.output<typeof Hit>;

export const Bucket = component(
  'Bucket',
  z.object({
    key: z
      .string()
      .regex(/^\d{4}(-\d{2})?$/)
      .meta({ description: 'YYYY-MM or YYYY' }),
    from: day.meta({ description: 'First day of the bucket: the `from` that narrows a search to it.' }),
    to: day.meta({ description: 'Last day of the bucket.' }),
    count,
  }),
);
export type Bucket = z.output<typeof Bucket>;

export const Interval = z.enum(INTERVALS);
export type Interval = z.output<typeof Interval>;
const coverageFields = {
  interval: Interval,
  buckets: z.array(Bucket),
  undated: count.meta({ description: 'Matching stories without a publication date.' }),
};

export const Coverage = component(
  'Coverage',
  z.object(coverageFields).meta({
    description: `Matching stories per month, or per year when the span is longer than ${MAX_MONTH_BUCKETS} months: every bucket from the first to the last (over from/to when given), empty ones included. The counts and \`undated\` add up to \`total\`.`,
  }),
);
export type Coverage = z.output<typeof Coverage>;

export const QueryNote = z.object({
  code: z.enum([
    'single_character',
    'unbalanced_quote',
    'unbalanced_parenthesis',
    'empty_group',
    'dangling_or',
    'mixed_phrase',
    'searched_as_written',
    'too_many_terms',
  ]),
  text: z.string().optional().meta({ description: 'The part of the query it is about (canonical).' }),
  message: z.string(),
});
/** Something in the query that was read differently from how it was typed. */
export type QueryNote = z.output<typeof QueryNote>;

const TermReading = component(
  'TermReading',
  z.object({
    text: z.string().meta({ description: 'Canonical text: Han characters, or lower-case words separated by spaces.' }),
    phrase: z.boolean().meta({ description: 'Typed in quotes.' }),
    exclude: z
      .boolean()
      .meta({ description: 'Typed with a minus (or NOT, or inside an excluded group): stories containing it are left out.' }),
    from: z.string().optional().meta({ description: 'The unspaced string this word was segmented from.' }),
  }),
);
type TermReading = z.output<typeof TermReading>;

/** The query as read: terms, and AND and OR over them (exclusions pushed down to the terms). */
export type QueryTree = { term: TermReading } | { op: 'and' | 'or'; items: QueryTree[] };
export const QueryTree: z.ZodType<QueryTree> = component(
  'QueryTree',
  z
    .union([
      z.object({ term: TermReading }),
      z.object({
        op: z.enum(['and', 'or']),
        get items(): z.ZodArray<z.ZodType<QueryTree>> {
          return z.array(QueryTree);
        },
      }),
    ])
    .meta({
      description:
        'A term, or `and` (all items must hold) or `or` (any one must) over items. AND binds tighter than OR; parentheses group.',
    }),
);

/** How the query was read: its terms, the unspaced strings read as words, and notes. */
const reading = {
  terms: z
    .array(TermReading)
    .max(MAX_TERMS * MAX_ALTERNATIVES)
    .meta({
      description:
        "Every term of the query, once. Without OR every term must occur (exclude: must not); with OR see `alternatives`. A Han term matches as a substring in either script, other words whole and case-insensitive; a phrase's words consecutively.",
    }),
  alternatives: z
    .array(z.object({ terms: z.array(TermReading).max(MAX_TERMS) }))
    .max(MAX_ALTERNATIVES)
    .meta({
      description: `The query expanded into alternatives (at most ${MAX_ALTERNATIVES}, each at most ${MAX_TERMS} terms): a story matches when it satisfies every term of at least one. One alternative for a query without OR; none when nothing could be searched. Each story counts once however many it satisfies.`,
    }),
  tree: QueryTree.optional(),
  segmented: z.array(z.object({ from: z.string(), words: z.array(z.string()) })).meta({
    description:
      'Unspaced Chinese longer than four characters read as several words (all must occur; stories with the exact string rank first). Search the string in quotes for the exact string only.',
  }),
  notes: z.array(QueryNote).meta({ description: 'Parts of the query read differently from how they were typed.' }),
};
export type QueryReading = z.output<z.ZodObject<typeof reading>>;

/** The selection a search or timeline answered, as it was read. */
const selection = {
  q: z.string(),
  normalized: z.string().meta({ description: 'The query in canonical script and vocabulary (simplified, mainland words).' }),
  outlet: z.array(z.string()).max(MAX_FILTER_VALUES),
  topic: z.array(z.string()).max(MAX_FILTER_VALUES),
  person: z.array(z.string()).max(MAX_FILTER_VALUES).meta({ description: 'Canonical form.' }),
  place: z.array(z.string()).max(MAX_FILTER_VALUES),
  organization: z.array(z.string()).max(MAX_FILTER_VALUES),
  from: day.nullable(),
  to: day.nullable(),
  undated: z.enum(UNDATED).nullable(),
};

export const Bounded = z
  .object({
    verified: count.meta({ description: 'Stories checked.' }),
    candidates: count.meta({ description: 'Stories to check (counted once per excluded long term, and once for the required ones).' }),
  })
  .meta({
    description: `Present when the query has long terms (Chinese of five characters or more, phrases of three words or more), which Meilisearch also matches in stories that have only their pieces, and more stories to check for them than a search checks (${MAX_VERIFIED_CANDIDATES.toLocaleString('en-US')}). \`total\`, the facet counts and the hits may then include up to candidates − verified stories that do not satisfy the query: \`total\` is an upper bound, and at least \`total\` − (candidates − verified) stories match.`,
  });
/** Some candidates of long terms were not checked: the total counts them, so it is an upper bound. */
export type Bounded = z.output<typeof Bounded>;

export const TermsPanel = component(
  'TermsPanel',
  z.object({
    archiveTotal: count.meta({ description: 'Stories in the archive: what the lift compares with.' }),
    countable: z.boolean().meta({
      description: `False when the query already has ${MAX_TERMS} terms (the most Meilisearch reads): no word can be counted within it, and \`terms\` is empty.`,
    }),
    terms: z
      .array(
        z.object({
          text: z.string().meta({ description: 'The word, canonical (simplified, mainland vocabulary): add it to `q` to search for it.' }),
          label: z.string().meta({ description: 'The word in the requested script (simplified for `orig`).' }),
          stories: count.meta({
            description: 'The exact number of matching stories that contain the word (a substring, in either script), as `total` counts.',
          }),
          keywordStories: count.meta({ description: 'Matching stories that have the word among their keywords (m).' }),
          archiveKeywordStories: count.meta({ description: 'Stories of the archive that have it among their keywords (a).' }),
          lift: z.number().meta({ description: '(m / total) / (a / archiveTotal), to one decimal.' }),
        }),
      )
      .max(TERMS_SHOWN)
      .meta({
        description: `Up to ${TERMS_SHOWN} words much more frequent in the matching stories than in the archive: by stored keywords (each story's ${KEYWORDS_PER_STORY} best by TF-IDF), a lift of at least ${MIN_LIFT}, at least ${MIN_TERM_STORIES} stories and in at most ${MAX_ARCHIVE_SHARE * 100}% of the archive's stories, ranked by Dunning's log-likelihood G² of m of total against a of archiveTotal. The words of the query are left out.`,
      }),
  }),
);
export type TermsPanel = z.output<typeof TermsPanel>;

export const TermsResponse = component(
  'TermsResponse',
  z.object({
    query: z.object(selection),
    total: count.meta({ description: 'Matching stories, as /api/search counts them.' }),
    ...TermsPanel.shape,
    partial: Partial,
    missing: Missing.optional(),
  }),
);
export type TermsAnswer = z.output<typeof TermsResponse>;

export const SearchResponse = component(
  'SearchResponse',
  z.object({
    query: z.object({ ...selection, sort: z.enum(SORTS), page: PAGE.value, perPage: PER_PAGE.value, script: z.enum(SCRIPTS), ...reading }),
    total: count.meta({ description: 'The exact number of stories that match, however many; an upper bound when `bounded` is present.' }),
    page: PAGE.value,
    perPage: PER_PAGE.value,
    totalPages: count.meta({
      description: `Pages reach the first ${MAX_TOTAL_HITS.toLocaleString('en-US')} hits (${NETWORK_REACHABLE_HITS.toLocaleString('en-US')} on a network of instances); a page past the last has no hits.`,
    }),
    processingTimeMs: count,
    partial: Partial,
    missing: Missing.optional(),
    bounded: Bounded.optional(),
    coverage: Coverage.optional().meta({ description: 'Absent when the server runs with COVERAGE_CHART=off.' }),
    hits: z.array(Hit),
    facets: Facets,
    terms: TermsPanel.optional().meta({ description: 'With `terms=1`: the words that stand out in the matching stories (as /api/terms).' }),
  }),
);
export type SearchResult = z.output<typeof SearchResponse>;

/** Scripts an article is stored in (core/schema.ts). */
const ARTICLE_SCRIPTS = ['hans', 'hant', 'mixed'] as const satisfies readonly Script[];

export const Article = component(
  'Article',
  z.object({
    id: z.string(),
    url: z.string(),
    title: z.string(),
    outlet: Outlet,
    publishedAt: nullableTime,
    updatedAt: nullableTime,
    topics: z.array(z.string()),
    tags: z.array(z.string()),
    author: z.string().nullable(),
    image: z.string().nullable(),
    excerpt: z.string(),
    paragraphs: z.array(z.string()),
    script: z.enum(ARTICLE_SCRIPTS),
    lang: z.enum(LANGS),
    alsoPublishedAs: z
      .array(
        z.object({
          id: z.string(),
          url: z.string(),
          title: z
            .string()
            .nullable()
            .meta({ description: "The copy's title, in the requested script; null in an index built before copies kept their titles." }),
          publishedAt: nullableTime.meta({
            description: "Null when the copy is undated or its date was not kept. Its outlet is the story's.",
          }),
        }),
      )
      .meta({ description: 'Other URLs of the same story (near-duplicate copies).' }),
  }),
);
export type ArticleJson = z.output<typeof Article>;

export const RelatedResponse = component(
  'RelatedResponse',
  z.object({
    id: z.string().meta({ description: 'The story (an id of one of its copies finds it too).' }),
    window: z
      .object({ from: z.iso.datetime(), to: z.iso.datetime() })
      .nullable()
      .meta({
        description: `Publication times a related story may have: ${RELATED_WINDOW_DAYS} days either side of the story's. Null for a story without a date (none are listed).`,
      }),
    related: z
      .array(
        z.object({
          id: z.string(),
          title: z.string().meta({ description: 'In the requested script.' }),
          url: z.string(),
          outlet: Outlet,
          publishedAt: nullableTime,
          shared: z.array(z.string()).meta({
            description:
              "The story's keywords and names it shares, the story's best first, in the requested script (simplified for `orig`).",
          }),
        }),
      )
      .max(RELATED_SHOWN)
      .meta({
        description: `Up to ${RELATED_SHOWN} stories of other outlets published within the window that share at least ${MIN_SHARED} of the story's extracted keywords and names (people, places, organizations), the most shared first, then the closest in time. Copies of the story are folded into it and never listed.`,
      }),
    partial: Partial,
    missing: Missing.optional(),
  }),
);
export type RelatedAnswer = z.output<typeof RelatedResponse>;

export const InstanceHealth = z.object({
  name: z.string(),
  status: z.enum(['available', 'unavailable']),
  documents: count.optional().meta({ description: 'Documents of the live index on this instance; absent when it is unavailable.' }),
  reason: z.string().optional(),
});
export type InstanceHealth = z.output<typeof InstanceHealth>;

export const Health = component(
  'Health',
  z.object({
    status: z.enum(['ok', 'degraded']).meta({ description: '`degraded`: on a network, an instance is down.' }),
    meilisearch: z
      .enum(['available', 'partial'])
      .meta({ description: '`partial`: on a network, a shard has no replica available, so searches are partial and say so.' }),
    documents: count.meta({ description: 'Searchable stories, each shard counted once (on a network: the shards that answer).' }),
    instances: z
      .array(InstanceHealth)
      .optional()
      .meta({ description: 'On a network of Meilisearch instances (MEILI_INSTANCES): each one.' }),
  }),
);
export type Health = z.output<typeof Health>;

export const Timeline = component(
  'Timeline',
  z.object({
    query: z.object(selection),
    total: count,
    ...coverageFields,
    partial: Partial,
    missing: Missing.optional(),
  }),
);
export type Timeline = z.output<typeof Timeline>;

/** One story of an export: a CSV row's cells, or one JSON Lines object. */
export const ExportRow = z
  .object({
    id: z.string(),
    title: z.string(),
    url: z.string(),
    outlet: z.string(),
    outletName: z.string(),
    publishedAt: nullableTime,
    topics: z.array(z.string()),
    keywords: z.array(z.string()).meta({ description: "The story's keywords (extracted at index time), in the requested script." }),
    people: z.array(z.string()).meta({ description: 'People named in the story (from the project’s list), in the requested script.' }),
    places: z.array(z.string()).meta({ description: 'Places named in the story.' }),
    organizations: z.array(z.string()).meta({ description: 'Organizations named in the story.' }),
  })
  .meta({ title: 'ExportRow' });
export type ExportRow = z.output<typeof ExportRow>;
