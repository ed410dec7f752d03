import net from 'node:net';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { certificates } from '../../src/modules/certificates/schema';
import type { TestContext } from '../support/test-app';

/**
 * A local SMTP sink for the expiry tests: a tiny node:net server on loopback that speaks enough
 * SMTP (EHLO, MAIL, RCPT, DATA, QUIT) to accept messages and keep them. Idle sockets close after
 * 10 s, and the tests close the server, so nothing outlives the run.
 */
export type SinkMessage = { from: string; to: string[]; data: string };
export type SmtpSink = { port: number; messages: SinkMessage[]; close: () => Promise<void> };

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let current: SinkMessage = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 sink.local ESMTP test sink');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(current);
            current = { from: '', to: [], data: '' };
            reply('250 2.0.0 queued');
          } else {
            current.data += `${line.startsWith('..') ? line.slice(1) : line}\r\n`;
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-sink.local\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') reply('250 sink.local');
        else if (verb === 'MAIL') {
          current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with .');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else if (verb === 'RSET') {
          current = { from: '', to: [], data: '' };
          reply('250 ok');
        } else reply('250 ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    messages,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let sequence = 0;

/** A certificate row written straight into the table, with the dates a test needs. */
export async function insertCertificate(
  t: TestContext,
  input: {
    productId: string;
    subjectId: string;
    provinceCode: string;
    communeCode: string;
    validFrom: string;
    validTo: string;
    productName?: string;
    subjectName?: string;
    star?: number;
  },
): Promise<{ id: string; number: string }> {
  sequence++;
  const number = `T-${input.provinceCode}-${String(sequence).padStart(4, '0')}-${Date.now() % 100000}`;
  const [row] = await t.database.db
    .insert(certificates)
    .values({
      number,
      productId: input.productId,
      subjectId: input.subjectId,
      productName: input.productName ?? 'Mật ong bạc hà Mèo Vạc',
      subjectName: input.subjectName ?? 'HTX Ong mật',
      provinceCode: input.provinceCode,
      communeCode: input.communeCode,
      taxonomyScheme: '2026',
      categoryCode: '6',
      star: input.star ?? 4,
      ruleSetCode: '148-1489-2025',
      issueKind: 'new',
      issuerName: 'UBND tỉnh',
      issuerLevel: 'province',
      decisionNumber: `${sequence}/QĐ-UBND`,
      decisionDate: input.validFrom,
      validFrom: input.validFrom,
      validTo: input.validTo,
      source: 'decision',
    })
    .returning({ id: certificates.id, number: certificates.number });
  return row!;
}

/** A re-evaluation dossier row for a product, in a cycle made for it (the queue only reads these). */
export async function insertReEvaluationDossier(
  t: TestContext,
  input: { productId: string; subjectId: string; provinceCode: string; communeCode: string },
): Promise<string> {
  const db = t.database.db;
  const [ruleSet] = await queryRows<{ id: string; code: string; revision: number }>(
    db,
    sql`SELECT id, code, revision FROM criteria_rule_sets ORDER BY code LIMIT 1`,
  );
  const [sheet] = await queryRows<{ id: string }>(db, sql`SELECT id FROM criteria_sheets LIMIT 1`);
  if (!ruleSet || !sheet) throw new Error('the template has no rule-set or sheet to build a dossier on');
  sequence++;
  const [cycle] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO evaluation_cycles (level, province_code, year, round, name, rule_set_id, rule_set_code,
          rule_set_revision, precheck_required, submission_deadline)
        VALUES ('province', ${input.provinceCode}, 2030, ${sequence}, 'Kỳ thử', ${ruleSet.id}, ${ruleSet.code},
          ${ruleSet.revision}, false, '2030-06-30') RETURNING id`,
  );
  const [dossier] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO evaluation_dossiers (cycle_id, product_id, subject_id, product_name, product_set_scheme,
          product_set_code, commune_code, province_code, sheet_id, evaluation_type)
        VALUES (${cycle!.id}, ${input.productId}, ${input.subjectId}, 'Sản phẩm', '2026', '6',
          ${input.communeCode}, ${input.provinceCode}, ${sheet.id}, 're_evaluation') RETURNING id`,
  );
  return dossier!.id;
}
