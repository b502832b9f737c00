/** Runs SQL as the database owner: migrations, operations and tests, never request handling. */
export interface OwnerConnection {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn inside one transaction as the owner. */
  transaction<T>(fn: (owner: OwnerConnection) => Promise<T>): Promise<T>;
}
