// docker-compose.yml cannot run here (no Docker engine), so check it against the code instead:
// same Meilisearch version as the embedded binary, and only variables the app understands.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { meiliBinaryPath } from '../indexer/meili/binary.js';
import { projectRoot } from '../indexer/paths.js';

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
}

const compose = parse(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  const { meilisearch, app } = compose.services;

  it('runs the same Meilisearch minor version as the embedded binary', () => {
    const version = execFileSync(meiliBinaryPath(), ['--version'], { encoding: 'utf8' }).trim();
    const [, major, minor] = /meilisearch (\d+)\.(\d+)\./.exec(version) ?? [];
    assert.equal(meilisearch?.image, `getmeili/meilisearch:v${major}.${minor}`);
  });

  it('keeps Meilisearch data in a named volume, with a healthcheck and a master key from the environment', () => {
    const volume = meilisearch?.volumes?.[0]?.split(':')[0];
    assert.ok(volume && volume in compose.volumes, 'named volume');
    assert.match(meilisearch?.environment?.MEILI_MASTER_KEY ?? '', /^\$\{MEILI_MASTER_KEY:\?/);
    assert.equal(meilisearch?.environment?.MEILI_NO_ANALYTICS, 'true');
    assert.ok(meilisearch?.healthcheck?.test.join(' ').includes('/health'));
  });

  it('builds the app, points it at the meilisearch service, and waits for it to be healthy', () => {
    assert.equal(app?.build, '.');
    assert.equal(app?.environment?.MEILI_URL, 'http://meilisearch:7700');
    assert.equal(app?.depends_on?.meilisearch?.condition, 'service_healthy');
    assert.ok(app?.ports?.includes('3000:3000'));
  });

  it('passes the app only variables that the config module reads', () => {
    const source = fs.readFileSync(path.join(projectRoot, 'indexer/config.ts'), 'utf8');
    for (const name of Object.keys(app?.environment ?? {})) {
      assert.match(source, new RegExp(`\\b${name}:`), `${name} is validated in indexer/config.ts`);
    }
  });
});
