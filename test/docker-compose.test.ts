// docker-compose.yml cannot run here (no Docker engine), so check it against the code instead:
// same Meilisearch version as the embedded binary, and only variables the app understands.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../core/config.js';
import { meiliBinaryPath } from '../core/meili/binary.js';
import { projectRoot } from '../core/paths.js';

interface Service {
  image?: string;
  build?: string;
  profiles?: string[];
  restart?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
}

const composeText = fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

/** The image tag of the embedded binary's minor version, e.g. getmeili/meilisearch:v1.21. */
function embeddedMeiliImage(): string {
  const version = execFileSync(meiliBinaryPath(), ['--version'], { encoding: 'utf8' }).trim();
  const [, major, minor] = /meilisearch (\d+)\.(\d+)\./.exec(version) ?? [];
  assert.ok(major && minor, `version of the embedded binary: ${version}`);
  return `getmeili/meilisearch:v${major}.${minor}`;
}

/**
 * Docker compose interpolation of ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message},
 * ${VAR?message}, $VAR and $$. Strict: a variable without a value and without a default throws,
 * as compose refuses the :? and ? forms (it would substitute "" for plain ${VAR}).
 */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$/g,
    (
      match,
      name: string | undefined,
      colon: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === '$$') return '$';
      const variable = name ?? bare;
      if (variable === undefined) throw new Error(`unrecognised $ in "${text}"`);
      const value = vars[variable];
      const unset = value === undefined || (colon === ':' && value === '');
      if (op === '-') return unset ? (arg ?? '') : value!;
      if (unset) throw new Error(`${variable} is ${op === '?' ? `required: ${arg}` : 'not set'}`);
      return value!;
    },
  );
}

/** A service's environment after interpolation, as the container would see it. */
function environmentOf(service: Service | undefined, vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(service?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]));
}

/** [host port, container port] of each published port, with .env left at its defaults. */
function publishedPorts(service: Service | undefined): Array<[string, string]> {
  return (service?.ports ?? []).map((p) => {
    const parts = interpolate(String(p), {}).split(':');
    assert.equal(parts.length, 2, `port mapping "${p}" is host:container`);
    return [parts[0]!, parts[1]!];
  });
}

/** The named volume and mount target of a `name:/target[:mode]` entry; undefined for a bind mount. */
function namedVolume(entry: string): { name: string; target: string } | undefined {
  const [source, target] = entry.split(':');
  return source && target && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) ? { name: source, target } : undefined;
}

/** A sample master key like the one .env must hold (at least 16 bytes). */
const SAMPLE_ENV = { MEILI_MASTER_KEY: 'sample-master-key-0123456789abcd' };

describe('docker-compose.yml', () => {
  const { meilisearch, app } = compose.services;

  it('runs the same Meilisearch minor version as the embedded binary', () => {
    assert.equal(meilisearch?.image, embeddedMeiliImage());
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
    const source = fs.readFileSync(path.join(projectRoot, 'core/config.ts'), 'utf8');
    for (const name of Object.keys(app?.environment ?? {})) {
      assert.match(source, new RegExp(`\\b${name}:`), `${name} is validated in core/config.ts`);
    }
  });
});

describe('docker-compose.yml network profile', () => {
  const { meilisearch, app } = compose.services;
  const inProfile = Object.entries(compose.services).filter(([, s]) => s.profiles !== undefined);
  const meiliNames = inProfile.filter(([, s]) => s.image?.startsWith('getmeili/meilisearch')).map(([name]) => name);
  const meilis = meiliNames.map((name) => compose.services[name]!);
  const appNames = inProfile.filter(([, s]) => s.build !== undefined).map(([name]) => name);
  const appNetName = appNames[0] ?? '(no app in the profile)';
  const appNet = compose.services[appNetName];

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-compose-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** loadConfig on a service's environment, with DATA_DIR moved under a temporary directory. */
  function configOf(service: Service | undefined, dir: string) {
    const env = environmentOf(service, SAMPLE_ENV);
    assert.ok(env.DATA_DIR && path.isAbsolute(env.DATA_DIR), 'DATA_DIR is an absolute container path');
    return loadConfig({ ...env, DATA_DIR: path.join(tmp, dir, env.DATA_DIR) }, path.join(tmp, dir));
  }

  it('holds exactly three Meilisearch services and one app, and leaves the default services out of it', () => {
    assert.equal(meilisearch?.profiles, undefined, 'meilisearch starts with plain `docker compose up`');
    assert.equal(app?.profiles, undefined, 'app starts with plain `docker compose up`');
    for (const [name, service] of inProfile) assert.deepEqual(service.profiles, ['network'], `${name} profiles`);
    assert.equal(meiliNames.length, 3, `Meilisearch services in the profile: ${meiliNames.join(', ')}`);
    assert.equal(appNames.length, 1, `app services in the profile: ${appNames.join(', ')}`);
    assert.equal(meiliNames.length + appNames.length, inProfile.length, 'nothing else in the profile');
  });

  it('runs each instance like the single one: same image as the embedded binary, environment, healthcheck, restart', () => {
    const image = embeddedMeiliImage();
    for (const [i, service] of meilis.entries()) {
      const name = meiliNames[i];
      assert.equal(service.image, image, `${name} image`);
      assert.deepEqual(service.environment, meilisearch?.environment, `${name} environment`);
      assert.equal(service.environment?.MEILI_ENV, 'production', `${name} MEILI_ENV`);
      assert.ok(service.healthcheck?.test.join(' ').includes('/health'), `${name} healthcheck`);
      assert.deepEqual(service.healthcheck, meilisearch?.healthcheck, `${name} healthcheck`);
      assert.equal(service.restart, meilisearch?.restart, `${name} restart`);
    }
  });

  it("keeps each instance's data in its own named volume, declared at the top level", () => {
    const others = Object.entries(compose.services)
      .filter(([name]) => !meiliNames.includes(name))
      .flatMap(([, s]) => (s.volumes ?? []).map((v) => namedVolume(v)?.name))
      .filter((v) => v !== undefined);
    const own: string[] = [];
    for (const [i, service] of meilis.entries()) {
      const name = meiliNames[i];
      assert.equal(service.volumes?.length, 1, `${name} has one volume`);
      const volume = namedVolume(service.volumes![0]!);
      assert.ok(volume, `${name}: ${service.volumes![0]} is a named volume`);
      assert.ok(volume.name in compose.volumes, `${name}: ${volume.name} is declared under volumes`);
      assert.ok(service.environment?.MEILI_DB_PATH?.startsWith(`${volume.target}/`), `${name}: MEILI_DB_PATH is inside ${volume.target}`);
      assert.ok(!others.includes(volume.name), `${name}: ${volume.name} is used by no other service`);
      own.push(volume.name);
    }
    assert.equal(new Set(own).size, own.length, `distinct volumes: ${own.join(', ')}`);
  });

  it('publishes no Meilisearch port on the host', () => {
    for (const [i, service] of [meilisearch, ...meilis].entries()) {
      assert.equal(service?.ports, undefined, `${['meilisearch', ...meiliNames][i]} has no ports`);
    }
  });

  it('refuses to start the instances or the network app without MEILI_MASTER_KEY in .env', () => {
    for (const [name, service] of [...meiliNames, appNetName].map((n) => [n, compose.services[n]] as const)) {
      const key = service?.environment?.MEILI_MASTER_KEY ?? '';
      assert.match(key, /^\$\{MEILI_MASTER_KEY:\?/, `${name} MEILI_MASTER_KEY`);
      assert.throws(() => interpolate(key, {}), /MEILI_MASTER_KEY is required/, `${name} without the variable`);
      assert.throws(() => interpolate(key, { MEILI_MASTER_KEY: '' }), /MEILI_MASTER_KEY is required/, `${name} with it empty`);
    }
  });

  it('gives the network app an environment that loadConfig accepts, naming the instances at http://<service>:7700 in order', () => {
    const config = configOf(appNet, 'network');
    assert.equal(config.meiliUrl, undefined);
    assert.ok(config.meiliInstances, 'meiliInstances is set');
    assert.deepEqual(
      config.meiliInstances.map((i) => i.url),
      meiliNames.map((name) => `http://${name}:7700`),
    );
    assert.equal(config.meiliReplicas, 2, 'each shard on two instances: any one may be lost');
    assert.deepEqual(
      config.meiliInstances.map((i) => i.shards),
      [
        [0, 2],
        [0, 1],
        [1, 2],
      ],
    );
    for (const [i, instance] of config.meiliInstances.entries()) {
      assert.equal(
        instance.masterKey,
        environmentOf(meilis[i], SAMPLE_ENV).MEILI_MASTER_KEY,
        `${instance.name} uses the master key of ${meiliNames[i]}`,
      );
    }
    assert.deepEqual(
      publishedPorts(appNet).map(([, container]) => container),
      [String(config.port)],
      "the published container port is the app's PORT",
    );
  });

  it('leaves the default app on the single meilisearch service', () => {
    const config = configOf(app, 'default');
    assert.equal(config.meiliUrl, 'http://meilisearch:7700');
    assert.equal(config.meiliInstances, undefined);
  });

  it('starts the network app only once all three instances are healthy', () => {
    assert.deepEqual(appNet?.depends_on, Object.fromEntries(meiliNames.map((name) => [name, { condition: 'service_healthy' }])));
  });

  it('passes the network app only variables that the config module reads, the same as app apart from the instances and replicas', () => {
    const source = fs.readFileSync(path.join(projectRoot, 'core/config.ts'), 'utf8');
    const env = appNet?.environment ?? {};
    for (const name of Object.keys(env)) {
      assert.match(source, new RegExp(`\\b${name}:`), `${name} is validated in core/config.ts`);
    }
    const shared = Object.fromEntries(Object.entries(app?.environment ?? {}).filter(([k]) => k !== 'MEILI_URL'));
    const { MEILI_INSTANCES, MEILI_REPLICAS, ...rest } = env;
    assert.ok(MEILI_INSTANCES, 'MEILI_INSTANCES is set');
    assert.equal(MEILI_REPLICAS, '2', 'each shard on two of the three instances');
    assert.deepEqual(rest, shared, 'every other variable as in app');
  });

  it('builds the network app like app, with its own data volume, the articles mount, and another host port', () => {
    assert.equal(appNet?.build, app?.build);
    const [data, ...mounts] = appNet?.volumes ?? [];
    const [appData, ...appMounts] = app?.volumes ?? [];
    const volume = namedVolume(data ?? '');
    assert.ok(volume && volume.name in compose.volumes, `${data} is a declared named volume`);
    assert.equal(volume.target, appNet?.environment?.DATA_DIR, 'mounted at DATA_DIR');
    assert.notEqual(volume.name, namedVolume(appData ?? '')?.name, 'not the data volume of app');
    assert.deepEqual(mounts, appMounts, 'the same articles mount as app');
    const hostPorts = publishedPorts(appNet).map(([host]) => host);
    const appHostPorts = publishedPorts(app).map(([host]) => host);
    assert.equal(hostPorts.length, 1, 'one published port');
    assert.ok(!appHostPorts.includes(hostPorts[0]!), `host port ${hostPorts[0]} differs from app's ${appHostPorts.join(', ')}`);
  });

  it('documents the commands that start only the network profile and reindex through it', () => {
    const header = composeText.slice(0, composeText.indexOf('\nservices:')).split('\n');
    const up = header.map((l) => /docker compose --profile network up (.*)$/.exec(l)?.[1]).find((m) => m !== undefined);
    assert.ok(up, 'a `docker compose --profile network up` line');
    const named = up
      .trim()
      .split(/\s+/)
      .filter((word) => !word.startsWith('-'));
    assert.deepEqual(named.sort(), inProfile.map(([name]) => name).sort(), "it names exactly the profile's services");
    assert.ok(
      header.some((l) => l.includes(`docker compose --profile network run --rm ${appNetName} node dist/cli/tongwen.js reindex /articles`)),
      'the reindex command',
    );
  });
});
