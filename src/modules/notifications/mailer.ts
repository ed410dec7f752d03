import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config';

/**
 * E-mail over SMTP_URL (smtp://user:pass@host:587 upgrades with STARTTLS when the server offers it;
 * smtps:// is TLS from the start). One transport per address, reused across sends.
 */
export type MailMessage = { to: string[]; subject: string; text: string };

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    // Bounded waits: a dead mail server must not hold the daily job for minutes.
    transport = nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transports.set(url, transport);
  }
  return transport;
}

export function mailEnabled(config: Pick<Config, 'smtpUrl'>): boolean {
  return Boolean(config.smtpUrl);
}

export async function sendMail(
  config: Pick<Config, 'smtpUrl' | 'smtpFrom'>,
  message: MailMessage,
): Promise<void> {
  if (!config.smtpUrl) throw new Error('SMTP_URL is not set');
  await transportFor(config.smtpUrl).sendMail({
    from: config.smtpFrom,
    to: message.to,
    subject: message.subject,
    text: message.text,
  });
}
