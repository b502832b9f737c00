import type { Config } from './config.ts';
import type { Database, Db } from './db/database.ts';
import type { KeyRing } from './security/keyring.ts';
import type { PasswordHasher } from './security/passwords.ts';

/** What services need from the running application; passed explicitly, never global. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  /**
   * Where statistics and publications read de-identified facts: a streaming replica when
   * STATS_DATABASE_URL is set, so long counts never compete with casework; otherwise `db`.
   */
  statsDb?: Db;
  keyring: KeyRing;
  passwords: PasswordHasher;
  /** Today's date in Aotearoa ('YYYY-MM-DD'): the day deadlines are counted from. */
  today: () => string;
}
