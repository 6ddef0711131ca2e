// The server loads the segmenter's dictionaries while it starts (server/main.ts), so that the
// first search with a long unspaced Chinese query does not pay for loading them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort } from '../../core/meili/embedded.js';
import { serverFixture } from '../helpers/server-process.js';

const { start, newDataDir } = serverFixture();

describe('server start', () => {
  it('loads the segmenter before it listens', async () => {
    const server = start({ PORT: String(await freePort()), DATA_DIR: newDataDir() });
    await server.waitFor('server.listening');
    const events = server.events.map((e) => e.event);
    assert.ok(events.includes('server.segmenter_ready'), 'the segmenter is loaded at start');
    assert.ok(events.indexOf('server.segmenter_ready') < events.indexOf('server.listening'), 'before the first request can come');
  });
});
