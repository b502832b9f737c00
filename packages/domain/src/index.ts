export * from './access/roles.ts';
export * from './access/permissions.ts';
export * from './access/organisations.ts';
export * from './reference/regions.ts';
export * from './schemas/common.ts';
export * from './schemas/auth.ts';
export * from './schemas/admin.ts';
export * from './schemas/audit.ts';
