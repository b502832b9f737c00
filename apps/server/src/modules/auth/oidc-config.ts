import { z } from 'zod';

/**
 * One organisation's identity provider (OpenID Connect), from OIDC_PROVIDERS. People of that
 * organisation may sign in there instead of with a Tiaki password; their roles are still granted
 * in Tiaki.
 */
export interface OidcProviderConfig {
  /** Short name used in addresses (/api/auth/oidc/<id>/start): lower-case letters, digits and dashes. */
  id: string;
  /** Shown on the button: "Sign in with <displayName>". */
  displayName: string;
  /** The provider's issuer URL; its discovery document is read from <issuer>/.well-known/openid-configuration. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The Tiaki organisation whose accounts this provider signs in; no other account can use it. */
  organisationId: string;
  /**
   * `acr` values that mean the provider checked a second factor; `amr` values such as mfa, otp,
   * hwk, swk, sms, fpt or face are recognised without configuration.
   */
  mfaAcrValues: string[];
  /**
   * Accept the `email` claim without `email_verified: true`, for a provider that only issues
   * addresses of the organisation's own directory and does not send that claim (Entra ID).
   */
  trustUnverifiedEmail: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plain http is accepted only for a provider on this machine, outside production (tests, development). */
export function isLoopbackIssuer(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const providerSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expects lower-case letters, digits and dashes (at most 40)'),
  displayName: z.string().trim().min(1, 'expects the name people know the provider by').max(80),
  issuer: z.url({ message: 'expects the issuer URL of the provider' }),
  clientId: z.string().min(1, 'expects the client id the provider gave Tiaki'),
  clientSecret: z.string().min(1, 'expects the client secret the provider gave Tiaki'),
  organisationId: z.uuid({ message: 'expects the id of a Tiaki organisation' }),
  mfaAcrValues: z.array(z.string().min(1)).default([]),
  trustUnverifiedEmail: z.boolean().default(false),
});

/**
 * Reads OIDC_PROVIDERS: a JSON array of providers (see README, "Single sign-on"). Answers the
 * providers and the problems found, each naming the provider and the field.
 */
export function parseOidcProviders(
  value: string | undefined,
  production: boolean,
): { providers: OidcProviderConfig[]; problems: string[] } {
  if (value === undefined || value.trim() === '') return { providers: [], problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return {
      providers: [],
      problems: ['OIDC_PROVIDERS expects a JSON array of providers (it is not valid JSON)'],
    };
  }
  const parsed = z.array(providerSchema).safeParse(json);
  if (!parsed.success) {
    return {
      providers: [],
      problems: parsed.error.issues.map(
        (issue) => `OIDC_PROVIDERS ${issue.path.map(String).join('.') || '(the list)'} ${issue.message}`,
      ),
    };
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const provider of parsed.data) {
    if (seen.has(provider.id)) problems.push(`OIDC_PROVIDERS has two providers with the id "${provider.id}"`);
    seen.add(provider.id);
    const url = new URL(provider.issuer);
    if (url.protocol !== 'https:' && (production || !isLoopbackIssuer(provider.issuer)))
      problems.push(
        `OIDC_PROVIDERS ${provider.id}.issuer must be an https:// address (plain http only for a provider on this machine, outside production)`,
      );
  }
  return { providers: problems.length > 0 ? [] : parsed.data, problems };
}
