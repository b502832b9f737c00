import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { newZealandToday } from '@tiaki/domain';
import { openDatabase } from './db/database.ts';
import { openReadReplica } from './db/replica.ts';
import { KeyRing } from './security/keyring.ts';
import { createPasswordHasher } from './security/passwords.ts';

/** Today in Aotearoa, or the fixed date of a training or test installation. */
export function todayFor(config: Config): () => string {
  return () => config.fixedToday ?? newZealandToday(new Date());
}

/** Opens the database (applying migrations) and assembles what services need. */
export async function createContext(config: Config): Promise<AppContext> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const replica = config.statsDatabaseUrl ? openReadReplica(config.statsDatabaseUrl) : undefined;
  if (replica) {
    const closePrimary = database.close.bind(database);
    database.close = async () => {
      await replica.close();
      await closePrimary();
    };
  }
  return {
    config,
    database,
    db: database.db,
    ...(replica ? { statsDb: replica.db } : {}),
    keyring: new KeyRing(config.encryptionKeys, config.blindIndexKey),
    passwords: createPasswordHasher(config.argon2MemoryKib),
    today: todayFor(config),
  };
}
