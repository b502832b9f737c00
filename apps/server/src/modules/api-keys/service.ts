import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ApiKey, Permission } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { ApiKeyTable } from '../../db/schema.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { sameSecret, type AuthContext } from '../auth/index.ts';
import { getOrganisation } from '../organisations/index.ts';
import { insertKey, keyById, keyByPrefix, keysOf, markKeyUsed, revokeLiveKey } from './queries.ts';

const KEY_PATTERN = /^tk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

function present(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    prefix: `tk_${row.prefix}`,
    scopes: row.scopes as ApiKey['scopes'],
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export async function listKeys(ctx: AppContext, organisationId: string): Promise<ApiKey[]> {
  if (!(await getOrganisation(ctx.db, organisationId))) throw notFound('The organisation');
  const rows = await keysOf(ctx.db, organisationId);
  return rows.map(present);
}

/** Issues a key for an organisation's system. The full key is returned once; only a hash is kept. */
export async function createKey(
  ctx: AppContext,
  actor: Actor,
  organisationId: string,
  input: { name: string; scopes: ApiKey['scopes'] },
): Promise<{ apiKey: ApiKey; key: string }> {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await getOrganisation(trx, organisationId))) throw notFound('The organisation');
    const row = await insertKey(trx, {
      organisation_id: organisationId,
      name: input.name,
      prefix,
      secret_hash: hashSecret(secret),
      scopes: [...new Set(input.scopes)],
      created_by: actor.userId,
    });
    await recordAudit(trx, actor, {
      action: 'api_key.created',
      subjectType: 'api_key',
      subjectId: row.id,
      details: { organisationId, scopes: row.scopes },
    });
    return { apiKey: present(row), key: `tk_${prefix}_${secret}` };
  });
}

export async function revokeKey(ctx: AppContext, actor: Actor, id: string): Promise<ApiKey> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await revokeLiveKey(trx, id);
    if (!row) {
      const existing = await keyById(trx, id);
      if (!existing) throw notFound('The API key');
      return present(existing);
    }
    await recordAudit(trx, actor, { action: 'api_key.revoked', subjectType: 'api_key', subjectId: id });
    return present(row);
  });
}

const invalidKey = () =>
  new HttpError(401, 'invalid_api_key', 'The API key is not valid or has been revoked.');

/**
 * Authenticates `Authorization: Bearer tk_…`. The principal has only the key's scopes and no
 * person behind it (userId is empty); only routes that opt in accept it.
 */
export async function authenticateApiKey(ctx: AppContext, header: string): Promise<AuthContext> {
  const match = KEY_PATTERN.exec(header.replace(/^Bearer\s+/i, '').trim());
  if (!match) throw invalidKey();
  const [, prefix = '', secret = ''] = match;
  const row = await keyByPrefix(ctx.db, prefix);
  if (!row || row.revoked_at || !sameSecret(row.secret_hash, hashSecret(secret))) throw invalidKey();
  await markKeyUsed(ctx.db, row.id);
  const far = new Date(Date.now() + 60_000);
  return {
    sessionId: '',
    stage: 'active',
    csrfToken: '',
    userId: '',
    apiKeyId: row.id,
    email: '',
    displayName: row.name,
    organisation: { id: row.organisationId, name: row.organisationName, kind: row.kind },
    roles: [],
    permissions: new Set(row.scopes as Permission[]),
    mfaEnabled: false,
    isDemo: false,
    idleExpiresAt: far,
    absoluteExpiresAt: far,
  };
}
