// One file's bytes → everything the reindex keeps of it: the document Meilisearch will store
// (without its keywords and names, added when the story is sent: stories.ts) and the
// near-duplicate fingerprint. The CPU-heavy step (cleaning, OpenCC, MinHash), so it is what the
// parse workers run; plain data in and out, so its result crosses a thread boundary as is.
import { fingerprint } from '../dedupe/group.js';
import { toBaseDocument, type IndexDocument } from '../../core/index-document.js';
import { parseText } from '../parse-file.js';
import type { ParseFailed } from '../../core/schema.js';
import { storeFingerprint, type StoredFingerprint } from './state.js';

/** A file accepted as an article: its document, its near-duplicate fingerprint, and what was odd about it. */
export interface PreparedArticle {
  ok: true;
  path: string;
  doc: IndexDocument;
  fingerprint: StoredFingerprint;
  warnings: string[];
}

/** What one file prepares to: an article, or the reason it was rejected. */
export type PreparedFile = PreparedArticle | ParseFailed;

export function prepareFile(path: string, bytes: Uint8Array): PreparedFile {
  const r = parseText(path, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!r.ok) return r;
  const doc = toBaseDocument(r.doc);
  return { ok: true, path, doc, fingerprint: storeFingerprint(fingerprint(r.doc, doc.bodySearch)), warnings: r.warnings };
}
