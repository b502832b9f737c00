import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Organisation, Page, PrivilegedRequest, User } from '@tiaki/domain';
import { decide } from './requests.ts';
import {
  buildTestApp,
  Client,
  createTestContext,
  createOrganisation,
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

    const listed = (await admin.get('/api/users?pageSize=100'))
      .json<Page<User>>()
      .items.find((u) => u.id === person.id);
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

  it('pages, sorts and filters the accounts list on the server (issue 14)', async () => {
    const org = await createOrganisation(ctx, 'ngo');
    const names = ['Aroha Pagetest', 'Bella Pagetest', 'Carys Pagetest', 'Dawn Pagetest', 'Eru Pagetest'];
    const made: TestUser[] = [];
    for (const name of names) {
      const person = await createUser(ctx, name === 'Carys Pagetest' ? ['analyst'] : ['frontline'], {
        organisationId: org.id,
      });
      await ctx.db.updateTable('app_user').set({ display_name: name }).where('id', '=', person.id).execute();
      made.push(person);
    }
    await ctx.db
      .updateTable('app_user')
      .set({ is_active: false })
      .where('id', '=', made[4]?.id ?? '')
      .execute();
    const page = async (query: string) => {
      const res = await admin.get(`/api/users?organisationId=${org.id}&${query}`);
      expect(res.statusCode).toBe(200);
      return res.json<Page<User>>();
    };
    // Name A to Z by default, two to a page, with the whole count.
    const first = await page('pageSize=2');
    expect(first.items.map((u) => u.displayName)).toEqual(['Aroha Pagetest', 'Bella Pagetest']);
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    const third = await page('pageSize=2&page=3');
    expect(third.items.map((u) => u.displayName)).toEqual(['Eru Pagetest']);
    expect((await page('sort=name&dir=desc&pageSize=1')).items[0]?.displayName).toBe('Eru Pagetest');
    // Part of a name or an email, a role, a state.
    expect((await page('q=carys')).items.map((u) => u.displayName)).toEqual(['Carys Pagetest']);
    expect((await page(`q=${encodeURIComponent(made[1]?.email ?? '')}`)).items.map((u) => u.id)).toEqual([
      made[1]?.id,
    ]);
    expect((await page('role=analyst')).items.map((u) => u.displayName)).toEqual(['Carys Pagetest']);
    expect((await page('state=deactivated')).items.map((u) => u.displayName)).toEqual(['Eru Pagetest']);
    expect((await page('state=active')).total).toBe(4);
    // A wildcard in the text is a character, not a pattern.
    expect((await page('q=%25')).total).toBe(0);
    // Nonsense is refused in words, not ignored.
    const bad = await admin.get('/api/users?sort=password&pageSize=1000&state=sleeping');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Sort by one of');
    // Only those who may read accounts may list them.
    const other = new Client(app);
    await other.signInFully(await createUser(ctx, ['caseworker']));
    expect((await other.get('/api/users?page=2')).statusCode).toBe(403);
  });

  it('stops administrators from locking themselves out', async () => {
    const me = (await admin.get('/api/users?pageSize=100'))
      .json<Page<User>>()
      .items.find((u) => u.id === adminUser.id);
    const res = await admin.patch(`/api/users/${adminUser.id}`, { isActive: false, version: me?.version });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('cannot_change_own_access');
  });

  it('stops administrators from giving themselves a role that reads cases', async () => {
    const me = (await admin.get('/api/users?pageSize=100'))
      .json<Page<User>>()
      .items.find((u) => u.id === adminUser.id);
    const res = await admin.patch(`/api/users/${adminUser.id}`, {
      roles: ['administrator', 'decision_maker'],
      version: me?.version,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'cannot_change_own_access',
      message: 'You cannot give yourself a new role. Ask another administrator.',
    });
    const after = (await admin.get('/api/users?pageSize=100'))
      .json<Page<User>>()
      .items.find((u) => u.id === adminUser.id);
    expect(after?.roles).toEqual(['administrator']);
    expect((await admin.get('/api/cases')).statusCode).toBe(403);
  });

  it('resets a password and MFA only when a second administrator approves (issue 19, finding 2)', async () => {
    const second = await createUser(ctx, ['administrator']);
    const secondAdmin = new Client(app);
    await secondAdmin.signInFully(second);
    const person = await createUser(ctx, ['caseworker']);
    const theirs = new Client(app);
    await theirs.signInFully(person);

    // The attack: reset the password and the authenticator, then sign in as them. Now both wait.
    const reset = await admin.post(`/api/users/${person.id}/reset-password`);
    expect(reset.statusCode).toBe(202);
    expect(reset.json<PrivilegedRequest>()).toMatchObject({ kind: 'reset_password', status: 'pending' });
    expect(reset.body).not.toContain('oneTimePassword');
    const mfa = await admin.post(`/api/users/${person.id}/reset-mfa`);
    expect(mfa.statusCode).toBe(202);
    // Nothing applied: their session goes on, their password and authenticator still work.
    expect((await theirs.get('/api/session')).statusCode).toBe(200);
    const listed = (await admin.get('/api/users?pageSize=100'))
      .json<Page<User>>()
      .items.find((u) => u.id === person.id);
    expect(listed?.mfaEnabled).toBe(true);
    expect(listed?.pendingRequests.map((r) => r.kind).sort()).toEqual(['reset_mfa', 'reset_password']);
    expect((await new Client(app).signIn(person.email, person.password)).statusCode).toBe(200);
    // One waiting request of a kind at a time.
    const again = await admin.post(`/api/users/${person.id}/reset-password`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_requested');

    // The one who asked cannot approve it.
    const own = await admin.post(`/api/privileged-requests/${reset.json<PrivilegedRequest>().id}/approve`);
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('own_request');
    expect((await theirs.get('/api/session')).statusCode).toBe(200);

    // A second administrator approves the password reset (and is the one shown the password),
    // and rejects the authenticator reset.
    const approved = await secondAdmin.post(
      `/api/privileged-requests/${reset.json<PrivilegedRequest>().id}/approve`,
    );
    expect(approved.statusCode).toBe(200);
    const { request, oneTimePassword } = approved.json<{
      request: PrivilegedRequest;
      oneTimePassword: string;
    }>();
    expect(request).toMatchObject({ status: 'approved', decidedBy: { id: second.id } });
    expect((await theirs.get('/api/session')).statusCode).toBe(401);
    const fresh = new Client(app);
    await fresh.signIn(person.email, oneTimePassword);
    expect(fresh.session?.stage).toBe('password_change');
    const rejected = await secondAdmin.post(
      `/api/privileged-requests/${mfa.json<PrivilegedRequest>().id}/reject`,
    );
    expect(rejected.json<{ request: PrivilegedRequest }>().request.status).toBe('rejected');
    const after = await ctx.db
      .selectFrom('app_user')
      .select('mfa_enabled')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(after.mfa_enabled).toBe(true);
    // Decided once only.
    const twice = await secondAdmin.post(
      `/api/privileged-requests/${mfa.json<PrivilegedRequest>().id}/approve`,
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('already_decided');

    const actions = (
      await ctx.db
        .selectFrom('audit_event')
        .select(['action', 'actor_user_id'])
        .where('subject_id', '=', person.id)
        .where((eb) =>
          eb.or([
            eb('action', 'like', 'privileged_request.%'),
            eb('action', 'in', ['user.password_reset', 'auth.mfa_reset']),
          ]),
        )
        .orderBy('id')
        .execute()
    ).map(
      (r) =>
        `${r.action}:${r.actor_user_id === adminUser.id ? 'first' : r.actor_user_id === second.id ? 'second' : '?'}`,
    );
    expect(actions).toEqual([
      'privileged_request.requested:first',
      'privileged_request.requested:first',
      'privileged_request.approved:second',
      'user.password_reset:second',
      'privileged_request.rejected:second',
    ]);
    const missing = await admin.post('/api/users/00000000-0000-4000-8000-000000000000/reset-mfa');
    expect(missing.statusCode).toBe(404);
  });
});

describe.each(DRIVERS)('the two-person rule for privileged changes on %s (issue 19, finding 2)', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let first: Client;
  let firstUser: TestUser;
  let second: Client;
  let secondUser: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    app = await buildTestApp(ctx);
    firstUser = await createUser(ctx, ['administrator']);
    first = new Client(app);
    await first.signInFully(firstUser);
    secondUser = await createUser(ctx, ['administrator']);
    second = new Client(app);
    await second.signInFully(secondUser);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const rolesOf = async (id: string) =>
    (
      await ctx.db
        .selectFrom('role_assignment')
        .select('role')
        .where('user_id', '=', id)
        .orderBy('role')
        .execute()
    ).map((r) => r.role);

  it('an administrator alone creates a decision maker with no access until a second administrator approves', async () => {
    const res = await first.post('/api/users', {
      email: 'invented.decider@example.test',
      displayName: 'Invented Decider',
      organisationId: firstUser.organisationId,
      roles: ['decision_maker', 'frontline'],
    });
    expect(res.statusCode).toBe(201);
    const { user, pendingRequest } = res.json<{ user: User; pendingRequest: PrivilegedRequest }>();
    expect(user.roles).toEqual(['frontline']);
    expect(user.pendingRequests).toEqual([
      expect.objectContaining({
        kind: 'grant_roles',
        roles: ['decision_maker'],
        requestedByName: 'Test Person',
      }),
    ]);
    expect(pendingRequest).toMatchObject({
      kind: 'grant_roles',
      roles: ['decision_maker'],
      status: 'pending',
    });
    expect(await rolesOf(user.id)).toEqual(['frontline']);
    // The list a second administrator sees.
    const waiting = (await second.get('/api/privileged-requests')).json<{ requests: PrivilegedRequest[] }>()
      .requests;
    expect(waiting.find((r) => r.id === pendingRequest.id)).toMatchObject({
      status: 'pending',
      targetUser: { id: user.id },
      requestedBy: { id: firstUser.id },
    });
    const approved = await second.post(`/api/privileged-requests/${pendingRequest.id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(await rolesOf(user.id)).toEqual(['decision_maker', 'frontline']);
    const listed = (await first.get('/api/users?pageSize=100'))
      .json<Page<User>>()
      .items.find((u) => u.id === user.id);
    expect(listed?.pendingRequests).toEqual([]);
  });

  it('a frontline-only account, removing a role and deactivating stay immediate', async () => {
    const res = await first.post('/api/users', {
      email: 'invented.frontline@example.test',
      displayName: 'Invented Frontline',
      organisationId: firstUser.organisationId,
      roles: ['frontline'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ pendingRequest: unknown }>().pendingRequest).toBeNull();
    const person = await createUser(ctx, ['frontline', 'caseworker']);
    const version = async () =>
      (
        await ctx.db
          .selectFrom('app_user')
          .select('version')
          .where('id', '=', person.id)
          .executeTakeFirstOrThrow()
      ).version;
    const removed = await first.patch(`/api/users/${person.id}`, {
      roles: ['frontline'],
      version: await version(),
    });
    expect(removed.json<User>().roles).toEqual(['frontline']);
    const off = await first.patch(`/api/users/${person.id}`, { isActive: false, version: await version() });
    expect(off.json<User>().isActive).toBe(false);
  });

  it('raising a signed-in person to caseworker reaches no case until a second administrator approves', async () => {
    const person = await createUser(ctx, ['frontline']);
    const theirs = new Client(app);
    await theirs.signInFully(person);
    expect((await theirs.get('/api/cases')).statusCode).toBe(403);
    const version = (
      await ctx.db
        .selectFrom('app_user')
        .select('version')
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow()
    ).version;
    const raised = await first.patch(`/api/users/${person.id}`, {
      roles: ['frontline', 'caseworker'],
      version,
    });
    expect(raised.statusCode).toBe(200);
    const user = raised.json<User>();
    expect(user.roles).toEqual(['frontline']);
    const requestId = user.pendingRequests[0]?.id ?? '';
    expect(user.pendingRequests[0]).toMatchObject({ kind: 'grant_roles', roles: ['caseworker'] });
    expect((await theirs.get('/api/cases')).statusCode).toBe(403);

    // Self-approval is refused, and changes nothing.
    const own = await first.post(`/api/privileged-requests/${requestId}/approve`);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'own_request' });
    expect((await theirs.get('/api/cases')).statusCode).toBe(403);

    expect((await second.post(`/api/privileged-requests/${requestId}/approve`)).statusCode).toBe(200);
    expect((await theirs.get('/api/cases')).statusCode).toBe(200);
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'details'])
      .where('subject_id', '=', person.id)
      .where((eb) => eb.or([eb('action', 'like', 'privileged_request.%'), eb('action', 'like', 'user.%')]))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'user.created',
      'privileged_request.requested',
      'privileged_request.approved',
      'user.roles_changed',
    ]);
    expect(audit[3]).toMatchObject({
      actor_user_id: secondUser.id,
      details: { added: ['caseworker'], requestedBy: firstUser.id },
    });
  });

  it('nobody decides a request about their own account', async () => {
    const asked = await first.post(`/api/users/${secondUser.id}/reset-mfa`);
    expect(asked.statusCode).toBe(202);
    const res = await second.post(`/api/privileged-requests/${asked.json<PrivilegedRequest>().id}/approve`);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('own_request');
    const mine = await ctx.db
      .selectFrom('app_user')
      .select('mfa_enabled')
      .where('id', '=', secondUser.id)
      .executeTakeFirstOrThrow();
    expect(mine.mfa_enabled).toBe(true);
  });

  it('an expired request cannot be approved, and its expiry is audited', async () => {
    const person = await createUser(ctx, ['frontline']);
    const version = (
      await ctx.db
        .selectFrom('app_user')
        .select('version')
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow()
    ).version;
    const raised = await first.patch(`/api/users/${person.id}`, {
      roles: ['frontline', 'supervisor'],
      version,
    });
    const requestId = raised.json<User>().pendingRequests[0]?.id ?? '';
    // 72 hours later.
    await ctx.db
      .updateTable('privileged_request')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', requestId)
      .execute();
    const late = await second.post(`/api/privileged-requests/${requestId}/approve`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('request_expired');
    expect(await rolesOf(person.id)).toEqual(['frontline']);
    const listed = (await second.get('/api/privileged-requests')).json<{ requests: PrivilegedRequest[] }>()
      .requests;
    expect(listed.find((r) => r.id === requestId)?.status).toBe('expired');
    const expired = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'privileged_request.expired')
      .where('subject_id', '=', person.id)
      .execute();
    expect(expired).toHaveLength(1);
  });

  it('with one administrator, the operator decides on the server, audited as the operator', async () => {
    const person = await createUser(ctx, ['frontline']);
    const asked = await first.post(`/api/users/${person.id}/reset-password`);
    const { request, oneTimePassword } = await decide(
      ctx,
      { userId: null, organisationId: null, requestId: 'cli' },
      asked.json<PrivilegedRequest>().id,
      'approved',
    );
    expect(request.status).toBe('approved');
    expect(oneTimePassword).toMatch(/^[\w]{4}-/);
    const entry = await ctx.db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'privileged_request.approved')
      .where('subject_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_user_id: null, details: { operator: true } });
  });

  it('refuses the privileged-request routes to anyone but administrators', async () => {
    const caseworker = await createUser(ctx, ['caseworker', 'privacy_officer', 'auditor']);
    const theirs = new Client(app);
    await theirs.signInFully(caseworker);
    expect((await theirs.get('/api/privileged-requests')).statusCode).toBe(403);
    const person = await createUser(ctx, ['frontline']);
    const asked = await first.post(`/api/users/${person.id}/reset-mfa`);
    expect(
      (await theirs.post(`/api/privileged-requests/${asked.json<PrivilegedRequest>().id}/approve`))
        .statusCode,
    ).toBe(403);
  });
});
