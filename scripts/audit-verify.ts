import { verifyAuditChain } from '../src/modules/audit';
import { runCli } from './cli';

await runCli(async (ctx) => {
  const result = await verifyAuditChain(ctx.database.db);
  if (result.ok) {
    console.log(`Audit chain intact: ${result.checked} entries verified.`);
    return 0;
  }
  console.error(
    `Audit chain BROKEN at entry #${result.brokenAtSeq}: ${result.reason}. ${result.checked} entries before it are intact.`,
  );
  return 1;
});
