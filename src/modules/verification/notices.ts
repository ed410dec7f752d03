import pg from 'pg';
import { decodeNotice, VERIFICATION_CHANNEL, type VerificationChange } from '../../db/verification-notices';

/**
 * The listening half of the verification notices: one dedicated connection per app instance that
 * hears what writers announced (`src/db/verification-notices.ts`) and evicts it from the caches.
 */
export {
  announceVerificationChange,
  applyVerificationChange,
  decodeNotice,
  subscribeLocally,
  VERIFICATION_CHANNEL,
  type VerificationChange,
} from '../../db/verification-notices';

export type NoticeListenerOptions = {
  /** Connection settings; the listener opens its own connection with them (outside the pool). */
  connection: pg.ClientConfig;
  onChange: (change: VerificationChange) => void;
  /** Listening started or stopped: until it (re)starts, notices may have been missed. */
  onListeningChange: (listening: boolean) => void;
  onError?: (error: unknown) => void;
};

/** How the listening connection names itself: commands that need every instance stopped look for it. */
export const LISTENER_APPLICATION_NAME = 'ocop-verification-listener';

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/**
 * One dedicated connection that LISTENs on the channel, reconnecting with backoff when it drops.
 * `listening` is true only while notices are certain to arrive; the cache serves only then.
 */
export class NoticeListener {
  listening = false;
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: NoticeListenerOptions) {}

  /** The backend process id of the listening connection (tests terminate it to simulate a drop). */
  get processId(): number | null {
    return this.listening ? ((this.client as unknown as { processID?: number })?.processID ?? null) : null;
  }

  /** Resolves after the first attempt, listening or not; a failed attempt keeps retrying in the background. */
  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.setListening(false);
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      ...this.options.connection,
      keepAlive: true,
      application_name: LISTENER_APPLICATION_NAME,
    });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (this.client === client && message.channel === VERIFICATION_CHANNEL) {
        this.options.onChange(decodeNotice(message.payload));
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${VERIFICATION_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) {
      await client.end().catch(() => {});
      return;
    }
    this.retryMs = RETRY_FIRST_MS;
    this.setListening(true);
  }

  private lost(client: pg.Client, error?: unknown) {
    if (this.client !== client) return;
    this.client = null;
    this.setListening(false);
    if (error !== undefined && !this.stopped) this.options.onError?.(error);
    client.end().catch(() => {});
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private setListening(listening: boolean) {
    if (this.listening === listening) return;
    this.listening = listening;
    this.options.onListeningChange(listening);
  }
}
