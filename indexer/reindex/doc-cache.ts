// Documents parsed in the first pass, kept on disk (not in memory) until grouping has decided
// which of them are sent: a temporary JSON-lines file with an offset per id.
import fs from 'node:fs';
import path from 'node:path';
import { writeError } from '../disk.js';
import type { IndexDocument } from '../../core/index-document.js';

export class DocumentCache {
  readonly #file: string;
  readonly #fd: number;
  readonly #where = new Map<string, { offset: number; length: number }>();
  #size = 0;

  constructor(dataDir: string) {
    const dir = path.join(dataDir, 'tmp');
    fs.mkdirSync(dir, { recursive: true });
    this.#file = path.join(dir, `reindex-${process.pid}-${Date.now()}.jsonl`);
    this.#fd = fs.openSync(this.#file, 'w+', 0o600);
  }

  /** Removes caches left by runs that were killed. */
  static removeStale(dataDir: string): void {
    const dir = path.join(dataDir, 'tmp');
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) {
      const pid = Number(/^reindex-(\d+)-/.exec(name)?.[1]);
      if (pid && pid !== process.pid) fs.rmSync(path.join(dir, name), { force: true });
    }
  }

  has(id: string): boolean {
    return this.#where.has(id);
  }

  put(doc: IndexDocument): void {
    const bytes = Buffer.from(`${JSON.stringify(doc)}\n`);
    try {
      fs.writeSync(this.#fd, bytes, 0, bytes.length, this.#size);
    } catch (err) {
      throw writeError(err, `${this.#file} (the reindex's temporary copy of the parsed documents)`);
    }
    this.#where.set(doc.id, { offset: this.#size, length: bytes.length - 1 });
    this.#size += bytes.length;
  }

  get(id: string): IndexDocument {
    return JSON.parse(this.getJson(id)) as IndexDocument;
  }

  /** Bytes of the document's JSON. */
  bytes(id: string): number {
    return this.#where.get(id)?.length ?? 0;
  }

  /** The document as the JSON it was stored as. */
  getJson(id: string): string {
    const at = this.#where.get(id);
    if (!at) throw new Error(`document ${id} is not in the reindex cache`);
    const bytes = Buffer.alloc(at.length);
    fs.readSync(this.#fd, bytes, 0, at.length, at.offset);
    return bytes.toString('utf8');
  }

  /** Bytes of JSON written: about what Meilisearch will be sent. */
  get size(): number {
    return this.#size;
  }

  close(): void {
    fs.closeSync(this.#fd);
    fs.rmSync(this.#file, { force: true });
  }
}
