import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCommand } from '../../lib/cli/commands/dev.ts';
import type { CliIo } from '../../lib/cli/options.ts';
import { buildDevRoots } from '../../lib/dev/dev-roots.ts';
import { type DevServer, startDevServer } from '../../lib/dev/dev-server.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

// `pulse dev` runs SQL and writes KPI files. On loopback only this machine's names may address it;
// on any other address every request needs the access token, or gets 401.
const DATA = `${FIXTURES}/ops`;

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A raw HTTP request to 127.0.0.1:port, with the headers exactly as given (Host included). */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        // An event stream never ends: its status and headers are the answer.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        }
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const portOf = (server: DevServer) => Number(new URL(server.url).port);
const json = { 'content-type': 'application/json' };

function open(options: { host?: string; token?: string } = {}): Promise<DevServer> {
  return startDevServer({
    roots: buildDevRoots(TOOLKIT_ROOT, DATA),
    report: 'monthly',
    port: 0,
    clock: () => TEST_NOW,
    debounceMs: 60_000,
    ...options,
  });
}

describe('pulse dev on loopback (the default)', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await open();
  });
  afterAll(() => server.close());

  it('needs no token, as always', async () => {
    expect(server.token).toBeUndefined();
    expect(server.openUrl).toBe(server.url);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const port = portOf(server);
    expect((await send(port, '/api/status', { headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
    expect((await send(port, '/api/status', { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses other host names (DNS rebinding) and other origins', async () => {
    const port = portOf(server);
    const rebound = await send(port, '/api/status', { headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    const crossSite = await send(port, '/api/query', {
      method: 'POST',
      headers: { ...json, host: `127.0.0.1:${port}`, origin: 'http://attacker.example' },
      body: '{"sql":"SELECT 1"}',
    });
    expect(crossSite.status).toBe(403);
  });
});

describe('pulse dev on another address', () => {
  let server: DevServer;
  let port: number;
  beforeAll(async () => {
    server = await open({ host: '0.0.0.0' });
    port = portOf(server);
  });
  afterAll(() => server.close());

  const routes: [string, string, string?][] = [
    ['GET', '/'],
    ['GET', '/report.html'],
    ['GET', '/events'],
    ['GET', '/index'],
    ['GET', '/sql'],
    ['GET', '/favicon.ico'],
    ['GET', '/api/status'],
    ['GET', '/api/catalog'],
    ['GET', '/nowhere'],
    ['POST', '/api/query', '{"sql":"SELECT 1"}'],
    ['POST', '/api/kpi', '{"id":"close_rate"}'],
    ['POST', '/api/settings', '{"period":"2026-09"}'],
    ['POST', '/api/kpis', '{}'],
  ];

  it('generates a random token and prints it in the URL to open', () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(server.openUrl).toBe(`http://0.0.0.0:${port}/?token=${server.token}`);
  });

  it('answers 401 to every page, API call, event stream and asset without the right token', async () => {
    const wrong = `${server.token?.slice(0, -1)}x`;
    for (const [method, path, body] of routes) {
      const headers = { ...json, host: `192.168.1.20:${port}` };
      const none = await send(port, path, { method, headers, ...(body ? { body } : {}) });
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.body).toMatch(/asks for its access token/);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="pulse dev"');
      for (const given of [
        { path: `${path}${path.includes('?') ? '&' : '?'}token=${wrong}`, headers },
        { path, headers: { ...headers, cookie: `pulse_dev_${port}=${wrong}` } },
        { path, headers: { ...headers, authorization: `Bearer ${wrong}` } },
        // A cookie of another pulse dev server on this machine is not this one's.
        { path, headers: { ...headers, cookie: `pulse_dev_${port + 1}=${server.token}` } },
      ]) {
        const reply = await send(port, given.path, {
          method,
          headers: given.headers,
          ...(body ? { body } : {}),
        });
        expect(reply.status, `${method} ${given.path} ${JSON.stringify(given.headers)}`).toBe(401);
      }
    }
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie and a URL without it', async () => {
    const first = await send(port, `/sql?kpi=close_rate&token=${server.token}`, {
      headers: { host: `192.168.1.20:${port}` },
    });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/sql?kpi=close_rate');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toBe(`pulse_dev_${port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`);
    const headers = { host: `192.168.1.20:${port}`, cookie: cookie.split(';')[0] ?? '' };
    expect((await send(port, '/sql?kpi=close_rate', { headers })).status).toBe(200);
    expect((await send(port, '/api/status', { headers })).status).toBe(200);
    const events = await send(port, '/events', { headers });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  it('takes the token as a bearer header, from its own pages only', async () => {
    const headers = { ...json, host: `192.168.1.20:${port}`, authorization: `Bearer ${server.token}` };
    expect((await send(port, '/api/status', { headers })).status).toBe(200);
    const sameOrigin = await send(port, '/api/query', {
      method: 'POST',
      headers: { ...headers, origin: `http://192.168.1.20:${port}` },
      body: '{"sql":"SELECT 42 AS answer"}',
    });
    expect(sameOrigin.status).toBe(200);
    expect(JSON.parse(sameOrigin.body).rows).toEqual([{ answer: 42 }]);
    const crossSite = await send(port, '/api/query', {
      method: 'POST',
      headers: { ...headers, origin: 'http://attacker.example' },
      body: '{"sql":"SELECT 1"}',
    });
    expect(crossSite.status).toBe(403);
  });
});

describe('PULSE_DEV_TOKEN', () => {
  it('is the token when set, on loopback too', async () => {
    const token = 'a-token-of-my-own-0123456789';
    const server = await open({ token });
    try {
      const port = portOf(server);
      const host = { host: `127.0.0.1:${port}` };
      expect(server.openUrl).toBe(`${server.url}?token=${token}`);
      expect((await send(port, '/api/status', { headers: host })).status).toBe(401);
      const ok = await send(port, '/api/status', { headers: { ...host, authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('is refused when too short to guess-proof or not URL-safe', async () => {
    await expect(open({ host: '0.0.0.0', token: 'short' })).rejects.toThrow(
      /PULSE_DEV_TOKEN should be 16 to 256 characters/,
    );
    await expect(open({ token: 'spaces are not url safe!' })).rejects.toThrow(/PULSE_DEV_TOKEN/);
  });
});

describe('pulse dev --host from the command line', () => {
  let root: string;
  let outDir: string;
  let data: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'crm-pulse-dev-access-'));
    outDir = join(root, 'out');
    data = join(root, 'data');
    await cp(DATA, data, { recursive: true });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('prints the URL with its token; the scratchpad runs bounded and writes only in --out', async () => {
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
      env: { PULSE_NOW: TEST_NOW, PULSE_DUCKDB_MEMORY: '1GB', PULSE_DUCKDB_THREADS: '1' },
      cwd: TOOLKIT_ROOT,
    };
    const stop = new AbortController();
    const running = devCommand(
      ['monthly', '--host', '0.0.0.0', '--port', '0', '--data', data, '--out', outDir],
      io,
      stop.signal,
    );
    try {
      const deadline = Date.now() + 20_000;
      while (!stdout.includes('pulse dev:') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const url = new URL(/pulse dev: (\S+)/.exec(stdout)?.[1] ?? 'http://invalid');
      const token = url.searchParams.get('token') ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(stdout).toContain('every request needs the access token');
      const port = Number(url.port);
      const headers = { ...json, host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` };
      const sql = async (text: string) => {
        const reply = await send(port, '/api/query', {
          method: 'POST',
          headers,
          body: JSON.stringify({ sql: text }),
        });
        return { status: reply.status, json: JSON.parse(reply.body) };
      };
      expect((await send(port, '/api/status', { headers: { host: `127.0.0.1:${port}` } })).status).toBe(401);
      expect(
        await sql("SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t"),
      ).toMatchObject({
        status: 200,
        json: { rows: [{ m: '953.6 MiB', t: 1 }] },
      });
      expect(await sql(`COPY (SELECT 1 AS a) TO '${outDir}/saved/from-dev.csv'`)).toMatchObject({
        status: 200,
      });
      expect(await readFile(join(outDir, 'saved', 'from-dev.csv'), 'utf8')).toBe('a\n1\n');
      const refused = await sql(`COPY (SELECT 1 AS a) TO '${data}/from-dev.csv'`);
      expect(refused).toMatchObject({
        status: 400,
        json: { error: expect.stringMatching(/^refused: .*outside the output folder/) },
      });
      expect(existsSync(`${data}/from-dev.csv`)).toBe(false);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  }, 60_000);

  it('refuses a --host that is not an address', async () => {
    const io: CliIo = { stdout: () => {}, stderr: () => {}, env: {}, cwd: TOOLKIT_ROOT };
    await expect(devCommand(['--host', 'my laptop'], io)).rejects.toThrow(
      /--host "my laptop" should be an IP address of this machine \(0\.0\.0\.0 for every address\) or localhost/,
    );
  });
});
