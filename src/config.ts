import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting of the platform, read once from the environment. Business code receives a
 * `Config` and never reads `process.env` itself, so tests can build apps with any settings.
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  OCOP_DEMO: booleanFlag.optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: booleanFlag.default(false),
  TRUST_PROXY: booleanFlag.default(false),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TIME_ZONE: z.string().default('Asia/Ho_Chi_Minh'),
  WEB_DIR: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'smtp://user:password@host:587 or smtps://…')
    .optional(),
  SMTP_FROM: z.string().min(3).default('OCOP <no-reply@ocop.local>'),
  JOBS_ENABLED: booleanFlag.default(true),
  JOBS_CHECK_MINUTES: z.coerce.number().positive().max(1440).default(15),
  // 32 bytes in base64 (43 characters and an optional "="), e.g. `openssl rand -base64 32`; the
  // message never repeats the value.
  OCOP_SIGNING_KEK: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'base64 of exactly 32 random bytes (openssl rand -base64 32)')
    .optional(),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Load the small demo province and print its logins. Default: on with the embedded database. */
  demo: boolean;
  /** Undefined means: generate one and keep it under DATA_DIR (fine for a single instance). */
  sessionSecret: string | undefined;
  sessionTtlHours: number;
  cookieSecure: boolean;
  /** Take the client address from X-Forwarded-For: only behind a load balancer that sets it, or clients could pick their own IP. */
  trustProxy: boolean;
  uploadMaxBytes: number;
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerIp: number;
  loginWindowMinutes: number;
  logLevel: string;
  timeZone: string;
  uploadsDir: string;
  /** The embedded PostgreSQL cluster (used without DATABASE_URL). */
  embeddedClusterDir: string;
  /** Where the previous release kept its embedded (PGlite) database; migrated on first start, then renamed. */
  legacyEmbeddedDir: string;
  /** Generated secrets: the session secret, the embedded server's password. */
  secretsDir: string;
  /** The built web app to serve; undefined means dist/web of the checkout (browser tests build their own). */
  webDir: string | undefined;
  /**
   * The address people reach the platform at (https://ocop.example.gov.vn), printed in certificate QR
   * codes. Undefined: taken from each request, which is fine for a laptop but lets a Host header
   * choose what a printed code points at, so set it in production.
   */
  publicUrl: string | undefined;
  /** Where expiry notices are mailed through (smtp://user:pass@host:587, STARTTLS when offered); undefined: in-app only. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /**
   * Whether this process runs the scheduled jobs (the daily expiry notices). Safe on every instance:
   * a job run is claimed per day in the database, so one instance does it. Tests build apps without
   * the scheduler; only the server's main starts it.
   */
  jobsEnabled: boolean;
  /** How often the scheduler looks whether today's run is still to do. */
  jobsCheckMinutes: number;
  /**
   * The key-encryption key that seals the verification signing key in the database (32 bytes).
   * Undefined: one generated on first start and kept in DATA_DIR/secrets/signing-kek. Set it (the
   * same value on every instance) when several app servers share one database without sharing a
   * DATA_DIR.
   */
  signingKek: Buffer | undefined;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    demo: e.OCOP_DEMO ?? !e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: e.TRUST_PROXY,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
    loginWindowMinutes: e.LOGIN_WINDOW_MINUTES,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TIME_ZONE,
    uploadsDir: path.join(dataDir, 'uploads'),
    embeddedClusterDir: path.join(dataDir, 'pg'),
    legacyEmbeddedDir: path.join(dataDir, 'db'),
    secretsDir: path.join(dataDir, 'secrets'),
    webDir: e.WEB_DIR ? path.resolve(e.WEB_DIR) : undefined,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    jobsEnabled: e.JOBS_ENABLED,
    jobsCheckMinutes: e.JOBS_CHECK_MINUTES,
    signingKek: e.OCOP_SIGNING_KEK
      ? Buffer.from(e.OCOP_SIGNING_KEK.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : undefined,
  };
}
