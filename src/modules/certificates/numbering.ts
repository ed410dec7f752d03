/** Certificate numbers (the province's pattern filled from a yearly sequence, a taken number skipped) and the per-key advisory lock that numbering and corrections take. */
import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/client';
import { AppError } from '../../server/errors';
import { messages } from './messages';
import { formatCertificateNumber, numberPatternFor, parseNumberPattern } from './rules';
import { certificateNumberSequences } from './schema';
import { certificateSettings } from './settings';

/** Serialises writes on one key (a product, a number) across transactions and app instances. */
export async function lockKey(tx: DbOrTx, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

export async function nextNumber(
  tx: DbOrTx,
  provinceCode: string,
  values: { communeCode: string; year: number; star: number },
): Promise<string> {
  const parsed = parseNumberPattern(numberPatternFor(certificateSettings(), provinceCode));
  if ('problem' in parsed) throw new Error(`Invalid number pattern for province ${provinceCode}`);
  // A number already taken (an imported registry numbered the same way) is skipped, not reused.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const [row] = await tx
      .insert(certificateNumberSequences)
      .values({ provinceCode, year: values.year, lastValue: 1 })
      .onConflictDoUpdate({
        target: [certificateNumberSequences.provinceCode, certificateNumberSequences.year],
        set: { lastValue: sql`${certificateNumberSequences.lastValue} + 1` },
      })
      .returning({ lastValue: certificateNumberSequences.lastValue });
    const number = formatCertificateNumber(parsed.tokens, { provinceCode, ...values, seq: row!.lastValue });
    const [taken] = await queryRows(tx, sql`SELECT 1 FROM certificates WHERE number = ${number} LIMIT 1`);
    if (!taken) return number;
  }
  throw new AppError('CONFLICT', messages.numberTaken);
}
