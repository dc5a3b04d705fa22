// `pulse dev`: an HTTP server (on 127.0.0.1 unless --host says otherwise; lib/dev/access.ts says
// who may use it) serving the live report preview, the index of reports and KPIs and the SQL
// scratchpad. It watches the project, re-runs the report on a save and tells the pages over
// server-sent events. No user mistake stops it: every request and every
// run catches its own errors.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { OpenDatasetOptions } from '../data/dataset.ts';
import { PulseError } from '../errors.ts';
import type { KpiDefinition } from '../kpi/definition.ts';
import { checkAccess, DEFAULT_DEV_HOST, type DevAccess, devToken, urlHost } from './access.ts';
import { answerKpi, answerQuery, answerSaveKpi, answerSettings, scratchSpan } from './dev-api.ts';
import { type DevRoots, shortPath } from './dev-roots.ts';
import { HttpError, readJsonBody, sendHtml, sendJson, sendText } from './http.ts';
import { buildIndexPage, buildPreviewPage, buildSqlPage, type DevStatus } from './pages.ts';
import { PreviewSession } from './preview-session.ts';
import { watchFolders } from './watch.ts';

export interface DevServerOptions {
  readonly roots: DevRoots;
  /** A report name; default monthly (or the first in reports/). */
  readonly report?: string;
  readonly period?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** Default 4321; 0 picks a free port. */
  readonly port?: number;
  /** The address to listen on; default 127.0.0.1. Any other than loopback asks for a token. */
  readonly host?: string;
  /** The access token (PULSE_DEV_TOKEN); generated when `host` is not loopback and none is given. */
  readonly token?: string;
  readonly timeZone?: string;
  readonly clock?: () => string;
  readonly currency?: string;
  readonly locale?: string;
  readonly company?: string;
  readonly log?: (text: string) => void;
  readonly debounceMs?: number;
  /** How to read the data folder beyond its path (mapping, rejects), as `pulse report`. */
  readonly dataset?: Omit<OpenDatasetOptions, 'dataDir' | 'timeZone' | 'now'>;
  /**
   * The project's config file: when it is saved, `reload` reads it again and the preview starts
   * over with the new settings (data folder, mapping, time zone, currency, ...); a config with
   * mistakes keeps the last good settings and logs them.
   */
  readonly config?: { readonly file: string; reload(): Promise<DevSettings> };
}

/** What a config file changes in a running preview. */
export type DevSettings = Pick<
  DevServerOptions,
  'roots' | 'timeZone' | 'currency' | 'locale' | 'company' | 'dataset'
>;

export interface DevServer {
  readonly url: string;
  /** The URL to open first: with `?token=` when the server asks for one. */
  readonly openUrl: string;
  readonly token?: string;
  readonly session: PreviewSession;
  close(): Promise<void>;
}

export const DEFAULT_DEV_PORT = 4321;

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? (() => {});
  const host = options.host ?? DEFAULT_DEV_HOST;
  const token = devToken(host, options.token);
  const access: DevAccess = { host, ...(token ? { token } : {}) };
  // Replaced, with a new id, when the config changes: the pages see the new id and reload.
  let id = randomUUID();
  let settings: DevSettings = options;
  const newSession = (previous?: PreviewSession) =>
    new PreviewSession({
      roots: settings.roots,
      report: previous?.status().report ?? options.report,
      ...(options.period ? { period: options.period } : {}),
      params: options.params ?? {},
      timeZone: settings.timeZone ?? 'UTC',
      clock: options.clock ?? (() => new Date().toISOString()),
      currency: settings.currency ?? 'USD',
      ...(settings.locale ? { locale: settings.locale } : {}),
      ...(settings.company ? { company: settings.company } : {}),
      log,
      ...(settings.dataset ? { dataset: settings.dataset } : {}),
    });
  let session = newSession();
  const status = (): DevStatus => ({ ...session.status(), session: id });
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const known = error instanceof HttpError || error instanceof PulseError;
      const code = error instanceof HttpError ? error.status : error instanceof PulseError ? 400 : 500;
      if (!known) log(`pulse dev: ${(error as Error).stack ?? String(error)}\n`);
      if (response.headersSent) response.end();
      else sendJson(response, code, { error: (error as Error).message ?? String(error) });
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (checkAccess(request, response, access, port)) return;
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /': {
        const report = url.searchParams.get('report');
        if (report !== null) {
          // A link from the index switches the report; another site's page may not.
          if (request.headers['sec-fetch-site'] === 'cross-site')
            throw new HttpError(403, 'switch reports from the pulse dev pages');
          await session.applySettings({ report });
          response.writeHead(303, { location: '/' }).end();
          return;
        }
        await session.idle();
        return sendHtml(response, 200, buildPreviewPage(session.reportHtml, status()));
      }
      case 'GET /report.html': {
        const html = session.reportHtml;
        if (html === undefined) return sendText(response, 404, 'no render yet');
        response.setHeader('x-pulse-version', String(session.status().version));
        return sendHtml(response, 200, html);
      }
      case 'GET /events':
        return openEvents(response);
      case 'GET /index': {
        const { kpis, error } = await readKpis();
        return sendHtml(
          response,
          200,
          buildIndexPage({
            status: status(),
            kpis,
            shortPath: (path) => shortPath(path, options.roots),
            ...(error ? { catalogError: error } : {}),
          }),
        );
      }
      case 'GET /sql':
        return sendHtml(response, 200, await sqlPage(url.searchParams.get('kpi') ?? undefined));
      case 'GET /favicon.ico':
        response.writeHead(204).end();
        return;
      case 'GET /api/status':
        return sendJson(response, 200, status());
      case 'GET /api/catalog': {
        const { kpis, error } = await readKpis();
        if (!kpis) throw new PulseError('kpi_header', error ?? 'the catalog cannot be read');
        return sendJson(response, 200, kpis.map(listRow));
      }
      case 'POST /api/settings':
        await answerSettings(session, await readJsonBody(request));
        return sendJson(response, 200, status());
      case 'POST /api/query':
        return sendJson(response, 200, await answerQuery(session, await readJsonBody(request)));
      case 'POST /api/kpi':
        return sendJson(response, 200, await answerKpi(session, await readJsonBody(request)));
      case 'POST /api/kpis': {
        const today = (options.clock?.() ?? new Date().toISOString()).slice(0, 10);
        const body = await readJsonBody(request);
        return sendJson(response, 201, await answerSaveKpi(session, options.roots.queriesDir, today, body));
      }
      default:
        throw new HttpError(404, `no page ${request.method} ${url.pathname}`);
    }
  }

  function openEvents(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (value: DevStatus) => {
      if (!response.destroyed) response.write(`data: ${JSON.stringify(value)}\n\n`);
    };
    response.write('retry: 500\n\n');
    send(status());
    const unsubscribe = session.subscribe((s) => send({ ...s, session: id }));
    // Proxies and browsers drop a silent connection; a comment line keeps it open.
    const heartbeat = setInterval(() => response.write(': ping\n\n'), 15_000);
    streams.add(response);
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(response);
    });
  }

  async function readKpis(): Promise<{ kpis?: readonly KpiDefinition[]; error?: string }> {
    try {
      return { kpis: (await session.readCatalog()).kpis };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  async function sqlPage(selected: string | undefined): Promise<string> {
    const { kpis, error } = await readKpis();
    const tables = await session
      .withDataset(async (dataset) => dataset.tables.map((t) => ({ table: t.table, columns: t.columns })))
      .catch(() => []);
    const scope = scratchSpan(session);
    return buildSqlPage({
      kpis: kpis ?? [],
      tables,
      ...(selected ? { selected } : {}),
      periodNote: scope?.note ?? '$start, $end and $grain need dated data',
      ...(error ? { catalogError: error } : {}),
    });
  }

  const watchProject = () =>
    watchFolders(
      [
        ...settings.roots.queryFolders.map((f) => ({ kind: 'queries' as const, dir: f.dir })),
        { kind: 'templates', dir: settings.roots.templatesDir },
        ...settings.roots.reportFolders.map((f) => ({ kind: 'reports' as const, dir: f.dir })),
        { kind: 'data', dir: settings.roots.dataDir },
        // A mapping file (not a preset name) changes what the data says, as an edited export does.
        ...watchedMapping(settings.dataset?.mapping),
        ...(options.config ? [{ kind: 'config' as const, file: options.config.file }] : []),
      ],
      (changes) => void (changes.kinds.has('config') ? reconfigure() : session.changedOnDisk(changes)),
      options.debounceMs ?? 100,
    );
  let watcher = watchProject();

  /** The config was saved: start over with its settings, or keep the last good ones. */
  async function reconfigure(): Promise<void> {
    if (!options.config) return;
    let next: DevSettings;
    try {
      next = await options.config.reload();
    } catch (error) {
      log(`pulse dev: ${(error as Error).message}\nkept the settings from before\n`);
      return;
    }
    log(`pulse dev: ${options.config.file} changed; the preview starts over with its settings\n`);
    const previous = session;
    watcher.close();
    settings = next;
    session = newSession(previous);
    id = randomUUID();
    watcher = watchProject();
    // Open pages reconnect (retry: 500), see the new session id and reload.
    for (const stream of streams) stream.end();
    await previous.close();
    void session.schedule();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PulseError(
              'usage',
              `port ${options.port} is in use; pick another with --port N (0: any free port)`,
            )
          : error.code === 'EADDRNOTAVAIL'
            ? new PulseError('usage', `--host ${host} is not an address of this machine`)
            : error,
      ),
    );
    server.listen(options.port ?? DEFAULT_DEV_PORT, host, () => resolve());
  }).catch(async (error: unknown) => {
    watcher.close();
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  void session.schedule();

  const url = `http://${urlHost(host, port)}/`;
  return {
    url,
    openUrl: token ? `${url}?token=${token}` : url,
    ...(token ? { token } : {}),
    get session() {
      return session;
    },
    close: async () => {
      watcher.close();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await session.close();
    },
  };
}

/** A row of `pulse list`. */
function listRow(k: KpiDefinition) {
  return {
    id: k.id,
    area: k.area,
    title: k.title,
    unit: k.unit,
    direction: k.direction,
    tables: [...new Set(k.needs.map((n) => n.split('.')[0]))].join(', '),
    breakdowns: k.breakdowns.map((b) => b.name).join(', '),
    params: k.params.map((p) => p.name).join(', '),
    file: k.file,
  };
}

/** The mapping's file when it is one (a path), not a preset name such as `salesforce`. */
function watchedMapping(mapping: string | undefined): { kind: 'data'; file: string }[] {
  return mapping && /[/\\]|\.json$/i.test(mapping) ? [{ kind: 'data', file: resolve(mapping) }] : [];
}
