import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the module schemas and applied by src/db/migrate.ts to both PGlite and PostgreSQL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
