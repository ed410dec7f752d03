import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { hash } from '@node-rs/argon2';
import { loadConfig } from '../src/config';
import { makeReachableTempDir } from '../src/db/embedded-server';
import { users } from '../src/modules/accounts/schema';
import { buildApp } from '../src/server/app';
import { prepareDatabase } from '../src/server/bootstrap';
import { createScratchDatabase } from './harness';

export type Officer = { email: string; password: string; fullName: string; provinceCode: string };

/**
 * The real app listening on a free port over a fresh database (embedded under a temporary
 * DATA_DIR, or a scratch database on BENCH_DATABASE_URL), with one province officer logged in:
 * what the import and responsiveness benchmarks drive through HTTP.
 */
export async function startOfficerServer(options: {
  db: 'embedded' | 'postgres';
  name: string;
  officer: Officer;
}) {
  const dataDir = makeReachableTempDir(`ocop-bench-${options.name}-`);
  let scratch: { url: string; drop: () => Promise<void> } | undefined;
  if (options.db === 'postgres') {
    const serverUrl = process.env.BENCH_DATABASE_URL;
    if (!serverUrl) throw new Error('--db postgres needs BENCH_DATABASE_URL');
    scratch = await createScratchDatabase(serverUrl, `ocop_bench_${options.name}`);
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    OCOP_DEMO: '0',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });
  const database = await prepareDatabase(config, () => {});
  const { officer } = options;
  await database.db.insert(users).values({
    email: officer.email,
    fullName: officer.fullName,
    passwordHash: await hash(officer.password),
    role: 'province_officer',
    provinceCode: officer.provinceCode,
  });
  const app = await buildApp({
    config,
    database,
    sessionSecret: randomBytes(32).toString('hex'),
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const headers = await login(baseUrl, officer);
  return {
    app,
    database,
    baseUrl,
    headers,
    async stop() {
      await app.close();
      await database.close();
      await scratch?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function login(baseUrl: string, officer: Officer): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: officer.email, password: officer.password }),
  });
  if (!response.ok) throw new Error(`login: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('ocop_session='))!
    .split(';')[0]!;
  return { cookie, 'x-csrf-token': (await response.json()).csrfToken };
}

/**
 * A registry CSV as provinces keep it: one row per certified product, two products per subject, current communes of the new Ninh Bình.
 * `batch` ("b5000 ") keeps names of several runs on one database apart.
 */
export function registryCsv(rows: number, batch = ''): Buffer {
  const communes = [
    'Xã Gia Viễn, tỉnh Ninh Bình',
    'Phường Hoa Lư, tỉnh Ninh Bình',
    'Xã Kim Sơn, tỉnh Ninh Bình',
  ];
  const lines = [
    'STT,Tên sản phẩm,Chủ thể,Loại hình,Nhóm sản phẩm,Hạng sao,Số quyết định,Ngày quyết định,Cơ quan cấp,Địa chỉ',
  ];
  for (let i = 1; i <= rows; i++) {
    const subject = Math.ceil(i / 2);
    lines.push(
      [
        i,
        `Gạo nếp cái hoa vàng ${batch}số ${i}`,
        `Hợp tác xã Nông nghiệp ${batch}số ${subject}`,
        'Hợp tác xã',
        'Gạo, ngũ cốc, hạt sơ chế khác',
        '4 sao',
        `${100 + (i % 50)}/QĐ-UBND`,
        `${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/2024`,
        'UBND tỉnh Ninh Bình',
        communes[subject % communes.length],
      ]
        .map((cell) => `"${cell}"`)
        .join(','),
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}
