import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Organisation, User } from '@tiaki/domain';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
  type TestUser,
} from '../../../test/harness.ts';

describe.each(DRIVERS)('administration on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Client;
  let adminUser: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    adminUser = await createUser(ctx, ['administrator']);
    admin = new Client(app);
    await admin.signInFully(adminUser);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('creates an organisation, refuses a duplicate name, and edits with optimistic locking', async () => {
    const created = await admin.post('/api/organisations', {
      kind: 'kaupapa_maori',
      name: 'Te Whare Test',
      regionsServed: ['04', '05'],
    });
    expect(created.statusCode).toBe(201);
    const org = created.json<Organisation>();
    expect(org).toMatchObject({ kind: 'kaupapa_maori', regionsServed: ['04', '05'], version: 1 });

    const duplicate = await admin.post('/api/organisations', { kind: 'ngo', name: 'te whare test' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('name_taken');

    const renamed = await admin.patch(`/api/organisations/${org.id}`, {
      name: 'Te Whare Test Renamed',
      version: 1,
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<Organisation>().version).toBe(2);
    const stale = await admin.patch(`/api/organisations/${org.id}`, { name: 'Lost update', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    const list = (await admin.get('/api/organisations')).json<{ organisations: Organisation[] }>()
      .organisations;
    expect(list.find((o) => o.id === org.id)?.name).toBe('Te Whare Test Renamed');
  });

  it('creates a user with a one-time password that must be changed at first sign-in', async () => {
    const org = (
      await admin.post('/api/organisations', { kind: 'police', name: 'Police Test District' })
    ).json<Organisation>();
    const res = await admin.post('/api/users', {
      email: '  New.Officer@Example.TEST ',
      displayName: 'New Officer',
      organisationId: org.id,
      roles: ['frontline'],
    });
    expect(res.statusCode).toBe(201);
    const { user, oneTimePassword } = res.json<{ user: User; oneTimePassword: string }>();
    expect(user.email).toBe('new.officer@example.test');
    expect(user).not.toHaveProperty('passwordHash');
    expect(oneTimePassword).toMatch(/^[\w]{4}-[\w]{4}-[\w]{4}-[\w]{4}$/);

    const officer = new Client(app);
    await officer.signIn('new.officer@example.test', oneTimePassword);
    expect(officer.session?.stage).toBe('password_change');

    const again = await admin.post('/api/users', {
      email: 'new.officer@example.test',
      displayName: 'Dup',
      organisationId: org.id,
      roles: ['frontline'],
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('email_taken');
  });

  it('refuses a user with no role or an unknown organisation, and writes nothing', async () => {
    const noRole = await admin.post('/api/users', {
      email: 'a@example.test',
      displayName: 'A',
      organisationId: adminUser.organisationId,
      roles: [],
    });
    expect(noRole.statusCode).toBe(400);
    expect(noRole.json().fields[0]).toEqual({ path: 'roles', message: 'Choose at least one role' });
    const noOrg = await admin.post('/api/users', {
      email: 'b@example.test',
      displayName: 'B',
      organisationId: '00000000-0000-4000-8000-000000000000',
      roles: ['analyst'],
    });
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().fields[0].path).toBe('organisationId');
    const rows = await ctx.db
      .selectFrom('app_user')
      .select('id')
      .where('email', 'in', ['a@example.test', 'b@example.test'])
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('changes roles and deactivates: removed access ends sessions at once, and it is audited', async () => {
    const person = await createUser(ctx, ['analyst', 'auditor']);
    const theirs = new Client(app);
    await theirs.signInFully(person);
    expect((await theirs.get('/api/audit')).statusCode).toBe(200);

    const listed = (await admin.get('/api/users'))
      .json<{ users: User[] }>()
      .users.find((u) => u.id === person.id);
    expect(listed?.roles).toEqual(['analyst', 'auditor']);
    const changed = await admin.patch(`/api/users/${person.id}`, {
      roles: ['analyst'],
      version: listed?.version,
    });
    expect(changed.statusCode).toBe(200);
    expect((await theirs.get('/api/session')).statusCode).toBe(401);

    const deactivated = await admin.patch(`/api/users/${person.id}`, {
      isActive: false,
      version: changed.json<User>().version,
    });
    expect(deactivated.json<User>().isActive).toBe(false);
    expect((await new Client(app).signIn(person.email, person.password)).statusCode).toBe(401);

    const actions = (
      await ctx.db
        .selectFrom('audit_event')
        .select(['action', 'details'])
        .where('subject_id', '=', person.id)
        .orderBy('id')
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.roles_changed', 'user.deactivated']));
  });

  it('stops administrators from locking themselves out', async () => {
    const me = (await admin.get('/api/users'))
      .json<{ users: User[] }>()
      .users.find((u) => u.id === adminUser.id);
    const res = await admin.patch(`/api/users/${adminUser.id}`, { isActive: false, version: me?.version });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('cannot_change_own_access');
  });

  it('stops administrators from giving themselves a role that reads cases', async () => {
    const me = (await admin.get('/api/users'))
      .json<{ users: User[] }>()
      .users.find((u) => u.id === adminUser.id);
    const res = await admin.patch(`/api/users/${adminUser.id}`, {
      roles: ['administrator', 'decision_maker'],
      version: me?.version,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'cannot_change_own_access',
      message: 'You cannot give yourself a new role. Ask another administrator.',
    });
    const after = (await admin.get('/api/users'))
      .json<{ users: User[] }>()
      .users.find((u) => u.id === adminUser.id);
    expect(after?.roles).toEqual(['administrator']);
    expect((await admin.get('/api/cases')).statusCode).toBe(403);
  });

  it('resets a password and MFA: the user must change the password and enrol again', async () => {
    const person = await createUser(ctx, ['caseworker']);
    const theirs = new Client(app);
    await theirs.signInFully(person);
    const reset = await admin.post(`/api/users/${person.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    expect((await theirs.get('/api/session')).statusCode).toBe(401);
    const mfa = await admin.post(`/api/users/${person.id}/reset-mfa`);
    expect(mfa.json<User>().mfaEnabled).toBe(false);
    const fresh = new Client(app);
    await fresh.signIn(person.email, reset.json<{ oneTimePassword: string }>().oneTimePassword);
    expect(fresh.session?.stage).toBe('password_change');
    const missing = await admin.post('/api/users/00000000-0000-4000-8000-000000000000/reset-mfa');
    expect(missing.statusCode).toBe(404);
  });
});
