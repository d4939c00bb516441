// `npm run migrate`: apply pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

const config = loadConfig(process.env);
const db = await openDatabase(config);
try {
  const applied = await migrate(db.sql);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.close();
}
