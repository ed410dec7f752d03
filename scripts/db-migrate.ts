import { runCli } from './cli';

// prepareDatabase applies the migrations and loads the reference data; nothing else to do.
await runCli(async (ctx) => {
  console.log(`Database is up to date (${ctx.database.kind}).`);
  return 0;
});
