/**
 * The simulated GitHub over HTTP, on 127.0.0.1, as GitHub Enterprise Server lays it out: REST under
 * /api/v3, GraphQL at /api/graphql. It verifies the app's JWT, issues installation tokens, enforces the
 * secondary rate limits, and sends signed webhooks to the app.
 */
import { createHmac, createPublicKey, createVerify, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleGraphql } from './graphql.js';
import { SecondaryLimits, type LimitSettings } from './limits.js';
import type { GitHubModel } from './model.js';
import { checkRequest } from './openapi.js';
import { handleRest, routeTemplate } from './rest.js';
import { installationsOf } from './settings-routes.js';
import { installationPermissions } from './settings-graphql.js';

export interface SimulatorOptions {
  appId: number;
  privateKeyPem: string;
  limits?: LimitSettings;
  /** Delay added to every answer, to model GitHub's latency (ms). */
  latencyMs?: number;
}

export class GitHubSimulator {
  server!: Server;
  url = '';
  /** Requests refused by the secondary limits, of every installation. */
  readonly refused: string[] = [];
  private readonly limitsByInstallation = new Map<string, SecondaryLimits>();
  private readonly tokens = new Map<string, string>();
  private readonly publicKey;
  /** Where webhooks go (the app under test). */
  webhookTarget?: { url: string; secret: string };

  constructor(
    readonly model: GitHubModel,
    private readonly options: SimulatorOptions,
  ) {
    this.publicKey = createPublicKey(options.privateKeyPem);
  }

  /** GitHub counts secondary limits per app installation (per token owner). */
  limitsFor(installation: string): SecondaryLimits {
    let limits = this.limitsByInstallation.get(installation);
    if (!limits) {
      limits = new SecondaryLimits(this.options.limits, Date.now, this.refused);
      this.limitsByInstallation.set(installation, limits);
    }
    return limits;
  }

  get peakInFlight(): number {
    return Math.max(0, ...[...this.limitsByInstallation.values()].map((l) => l.peakInFlight));
  }

  get host(): string {
    return this.url.replace('http://', '');
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        ([status, body, headers]) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          this.model.violations.push(`simulator failed on ${req.method} ${req.url}: ${error.stack}`);
          res.writeHead(500).end(JSON.stringify({ message: error.message }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown?, Record<string, string>?]> {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : undefined;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const isGraphql = url.startsWith('/api/graphql');
    if (!isGraphql && !url.startsWith('/api/v3/')) return [404, { message: 'Not Found' }];
    const path = isGraphql ? '/graphql' : url.slice('/api/v3'.length);
    const template = isGraphql ? '/graphql' : (routeTemplate(method, path) ?? path.split('?')[0]!);

    const auth = req.headers.authorization ?? '';
    const tokenPath = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path.split('?')[0]!);
    if (tokenPath) {
      if (!this.verifyJwt(auth.replace(/^Bearer\s+/i, ''))) return [401, { message: 'A JSON web token could not be decoded' }];
      const problems = checkRequest(method, '/app/installations/{installation_id}/access_tokens', body);
      if (problems.length) this.model.violations.push(...problems);
      const token = `ghs_${randomUUID().replace(/-/g, '')}`;
      this.tokens.set(token, tokenPath[1]!);
      return [
        201,
        {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: installationPermissions(this.model),
          repository_selection: 'all',
        },
      ];
    }
    if (method === 'GET' && /^\/app\/installations(\?|$)/.test(path)) {
      if (!this.verifyJwt(auth.replace(/^Bearer\s+/i, ''))) return [401, { message: 'A JSON web token could not be decoded' }];
      this.model.requests.push({ method, path });
      return [200, installationsOf(this.model)];
    }
    const appRoute = /^\/app\/hook\/deliveries(?:\/(\d+)\/attempts)?(?:\?.*)?$/.exec(path);
    if (appRoute) {
      if (!this.verifyJwt(auth.replace(/^Bearer\s+/i, ''))) return [401, { message: 'A JSON web token could not be decoded' }];
      const template = appRoute[1] ? '/app/hook/deliveries/{delivery_id}/attempts' : '/app/hook/deliveries';
      const problems = checkRequest(method, template, body);
      if (problems.length) this.model.violations.push(...problems);
      this.model.requests.push({ method, path });
      if (!appRoute[1]) return [200, [...this.model.deliveries].reverse().map(({ payload: _payload, ...d }) => d)];
      const original = this.model.deliveries.find((d) => d.id === Number(appRoute[1]));
      if (!original) return [404, { message: 'Not Found' }];
      void this.deliver(original.event, original.payload, { guid: original.guid, redelivery: true });
      return [202, {}];
    }
    const token = auth.replace(/^(token|bearer)\s+/i, '');
    const installation = this.tokens.get(token);
    if (!installation) {
      this.model.violations.push(`${method} ${path}: not authenticated with an installation token`);
      return [401, { message: 'Bad credentials' }];
    }
    const limits = this.limitsFor(installation);
    const refused = limits.admit(method, template, isGraphql, isGraphql && /^\s*mutation\b/.test(body?.query ?? ''));
    if (refused)
      return [
        403,
        { message: `You have exceeded a secondary rate limit (${refused}). Please wait a few minutes before you try again.` },
        { 'retry-after': String(limits.settings.retryAfterSeconds) },
      ];
    try {
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      return isGraphql
        ? await handleGraphql(this.model, body)
        : handleRest(this.model, { method, path, body }, 'http://github.sim', `${this.url}/api/v3`);
    } finally {
      limits.done();
    }
  }

  /** Send a webhook to the app and record the delivery (status code 0 when the app could not be reached). */
  async deliver(event: string, payload: unknown, options: { guid?: string; redelivery?: boolean } = {}): Promise<number> {
    const guid = options.guid ?? randomUUID();
    let status: number;
    try {
      status = this.webhookTarget ? await sendWebhook(this.webhookTarget.url, this.webhookTarget.secret, event, payload, guid) : 0;
    } catch {
      status = 0;
    }
    this.recordDelivery(event, payload, status, guid, options.redelivery ?? false);
    return status;
  }

  /** Record a delivery as GitHub would (e.g. one that failed while the app was down). */
  recordDelivery(event: string, payload: unknown, status_code: number, guid: string = randomUUID(), redelivery = false): void {
    this.model.deliveries.push({
      id: this.model.id(),
      guid,
      event,
      action: (payload as { action?: string }).action,
      status_code,
      delivered_at: new Date().toISOString(),
      redelivery,
      payload,
    });
  }

  private verifyJwt(jwt: string): boolean {
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) return false;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(this.publicKey, Buffer.from(signature, 'base64url'))) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string | number; exp?: number };
    return String(claims.iss) === String(this.options.appId) && (claims.exp ?? 0) * 1000 > Date.now() - 60_000;
  }
}

/** A request's whole body as text (the simulator and the demo's control endpoint). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Deliver a webhook to the app as GitHub does: JSON body, event and delivery headers, HMAC signature. */
export async function sendWebhook(
  appUrl: string,
  secret: string,
  name: string,
  payload: unknown,
  delivery: string = randomUUID(),
): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${appUrl}/api/github/webhooks`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/simulator',
      'x-github-event': name,
      'x-github-delivery': delivery,
      'x-github-hook-id': '1',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  });
  await res.text();
  return res.status;
}
