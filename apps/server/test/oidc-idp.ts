import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/**
 * A real OpenID Connect provider (panva's oidc-provider, the certified implementation) on a free
 * loopback port, for tests: one confidential client for Tiaki, accounts with passwords, and plain
 * HTML login and consent forms. Each account says how it authenticated (amr), as Entra ID or
 * Okta do after a password alone or a password and a second factor.
 */
export interface IdpAccount {
  /** The provider's subject (sub) for the person. */
  sub: string;
  /** What the person types as user name at the provider. */
  login: string;
  password: string;
  email: string;
  emailVerified: boolean;
  amr: string[];
  acr?: string;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  /**
   * Attack: the token endpoint's ID tokens arrive with one character of their signature changed,
   * as if forged or altered on the way. Off by default.
   */
  tamperWithIdTokens: boolean;
  /** The client's redirect URI: set once Tiaki listens (the provider checks it exactly). */
  registerRedirectUri(uri: string): void;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startTestIdp(accounts: IdpAccount[]): Promise<TestIdp> {
  const bySub = new Map(accounts.map((a) => [a.sub, a]));
  const clientId = 'tiaki-test';
  const clientSecret = randomBytes(24).toString('base64url');
  let provider: Provider | undefined;
  let redirectUri = 'http://127.0.0.1/unset';

  const send = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, path: string[]) {
    if (!provider) throw new Error('provider not ready');
    const details = await provider.interactionDetails(req, res);
    const uid = details.uid;
    const [, , action] = path;
    if (req.method === 'GET') {
      if (details.prompt.name === 'login') {
        send(res, 200, loginForm(uid));
      } else {
        send(
          res,
          200,
          page(
            'Allow Tiaki to know who you are',
            `<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Continue</button></form>`,
          ),
        );
      }
      return;
    }
    if (action === 'login') {
      const form = await readForm(req);
      const account = [...bySub.values()].find((a) => a.login === form.get('login'));
      if (!account || account.password !== form.get('password')) {
        send(res, 200, loginForm(uid, 'Wrong user name or password.'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        {
          login: { accountId: account.sub, amr: account.amr, ...(account.acr ? { acr: account.acr } : {}) },
        },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (action === 'confirm') {
      const { prompt, params, session, grantId } = details;
      const accountId = session?.accountId;
      if (!accountId) throw new Error('no account at consent');
      const grant = grantId
        ? await provider.Grant.find(grantId)
        : new provider.Grant({ accountId, clientId: String(params.client_id) });
      if (!grant) throw new Error('grant not found');
      const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const saved = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: saved } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    send(res, 404, page('Not found', ''));
  }

  const loginForm = (uid: string, error?: string) =>
    page(
      'Sign in to the test identity provider',
      `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}<form method="post" action="/interaction/${uid}/login">` +
        `<label>User name <input name="login" autocomplete="username"></label>` +
        `<label>Password <input name="password" type="password" autocomplete="current-password"></label>` +
        `<button type="submit">Sign in</button></form>`,
    );

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.split('/').filter(Boolean);
    if (path[0] === 'favicon.ico') {
      // A browser asks for one; no icon, and no 404 in its console.
      res.writeHead(204).end();
      return;
    }
    if (path[0] === 'interaction') {
      interaction(req, res, path).catch((error: unknown) => {
        send(res, 500, page('Error', escapeHtml(String(error))));
      });
      return;
    }
    if (!provider) {
      res.writeHead(503).end();
      return;
    }
    if (idp.tamperWithIdTokens && req.method === 'POST' && path[0] === 'token') alterIdToken(res);
    void provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const build = () => {
    const configuration: Configuration = {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      findAccount: (_ctx, sub) => {
        const account = bySub.get(sub);
        if (!account) return undefined;
        return {
          accountId: sub,
          claims: () => ({ sub, email: account.email, email_verified: account.emailVerified }),
        };
      },
      // acr and amr in every ID token, as Entra ID and Okta send them.
      claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'] },
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      jwks: { keys: [{ ...signingKey, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    };
    provider = new Provider(issuer, configuration);
  };
  build();

  const idp: TestIdp = {
    issuer,
    clientId,
    clientSecret,
    accounts: bySub,
    tamperWithIdTokens: false,
    registerRedirectUri(uri: string) {
      redirectUri = uri;
      build();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  return idp;
}

/** Changes one character in the middle of the ID token's signature as the answer is written (same length). */
function alterIdToken(res: ServerResponse): void {
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  const replaced = (chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
      const text = chunk.toString();
      const altered = text.replace(
        /("id_token":"[^".]+\.[^".]+\.)([^"]+)"/,
        (_all, head: string, sig: string) => {
          const i = Math.floor(sig.length / 2);
          return `${head}${sig.slice(0, i)}${sig[i] === 'A' ? 'B' : 'A'}${sig.slice(i + 1)}"`;
        },
      );
      return end(altered, ...rest);
    }
    return end(chunk, ...rest);
  };
  res.end = replaced as typeof res.end;
}

interface StoredCookie {
  origin: string;
  name: string;
  value: string;
  path: string;
}

/**
 * A browser for tests, over fetch: keeps cookies per origin and path, follows redirects, and
 * submits forms. Stops at the first page of Tiaki outside /api/ (the web app's pages), or at any
 * URL `stopAt` accepts.
 */
export class FetchBrowser {
  cookies: StoredCookie[] = [];

  cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => c.origin === url.origin && url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  cookie(origin: string, name: string): string | undefined {
    return this.cookies.find((c) => c.origin === origin && c.name === name)?.value;
  }

  private store(url: URL, headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && new Date(val).getTime() < Date.now()) expired = true;
      }
      this.cookies = this.cookies.filter(
        (c) => !(c.origin === url.origin && c.name === name && c.path === path),
      );
      if (!expired) this.cookies.push({ origin: url.origin, name, value, path });
    }
  }

  /** One request, no redirect followed. */
  async request(
    url: string,
    init: { method?: string; form?: URLSearchParams; json?: unknown; headers?: Record<string, string> } = {},
  ) {
    const target = new URL(url);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = init.form.toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(target, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    this.store(target, res.headers);
    return res;
  }

  /** Follows redirects until a page that is not a redirect, or until stopAt says so. */
  async go(
    url: string,
    options: { form?: URLSearchParams; stopAt?: (url: URL) => boolean } = {},
  ): Promise<{ url: URL; status: number; body: string }> {
    let current = new URL(url);
    let form = options.form;
    for (let hops = 0; hops < 20; hops++) {
      if (options.stopAt?.(current)) return { url: current, status: 0, body: '' };
      const res = await this.request(current.href, form ? { form } : {});
      form = undefined;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current);
        await res.arrayBuffer();
        continue;
      }
      return { url: current, status: res.status, body: await res.text() };
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's (first) form with these fields, and follows where it leads. */
  async submit(
    page: { url: URL; body: string },
    fields: Record<string, string>,
    stopAt?: (url: URL) => boolean,
  ) {
    const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1];
    if (!action) throw new Error(`no form on ${page.url.href}: ${page.body.slice(0, 300)}`);
    return this.go(new URL(action.replace(/&amp;/g, '&'), page.url).href, {
      form: new URLSearchParams(fields),
      ...(stopAt ? { stopAt } : {}),
    });
  }
}
