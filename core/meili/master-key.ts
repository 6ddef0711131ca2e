// The embedded Meilisearch's master key: generated once, kept in DATA_DIR with mode 0600.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MASTER_KEY_FILE = 'meili-master-key';

export function masterKeyPath(dataDir: string): string {
  return path.join(dataDir, MASTER_KEY_FILE);
}

/** Read the key, creating it (32 random bytes, base64url) on first use. */
export function readOrCreateMasterKey(dataDir: string): string {
  const file = masterKeyPath(dataDir);
  try {
    // 'wx' fails if the file exists, so two starters can never overwrite each other's key.
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const key = fs.readFileSync(file, 'utf8').trim();
  if (key.length < 16) throw new Error(`${file}: master key is shorter than 16 bytes; delete the file to regenerate it`);
  return key;
}
