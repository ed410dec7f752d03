import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';

/**
 * The rendered verification pages, by request address (which fixes the code, the signature and the
 * language). A page is served again only while it was rendered from the very facts object the
 * certificate cache holds now, with the same status and cover: anything the notices forget, or the
 * calendar moves, renders again. Compressed copies (brotli, gzip) are made once per page, not per
 * request: phones ask for compressed pages, and compressing a 4 KB page costs more than the rest of
 * a warm page view. Bounded by bytes, so addresses with junk parameters only push older pages out.
 */
export type PageEncoding = 'br' | 'gzip';

type Page = {
  facts: object;
  cover: object | null;
  status: string;
  body: Buffer;
  br?: Buffer;
  gzip?: Buffer;
};

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export class PageCache {
  private readonly pages: LRUCache<string, Page>;

  constructor(maxBytes = DEFAULT_MAX_BYTES) {
    this.pages = new LRUCache({
      maxSize: maxBytes,
      sizeCalculation: (page) => 200 + page.body.length + (page.br?.length ?? 0) + (page.gzip?.length ?? 0),
    });
  }

  /** The page for this address, rendering it when the cached one is missing or no longer current. */
  get(address: string, current: Omit<Page, 'body'>, render: () => string): Page {
    const page = this.pages.get(address);
    if (
      page &&
      page.facts === current.facts &&
      page.cover === current.cover &&
      page.status === current.status
    ) {
      return page;
    }
    const fresh: Page = { ...current, body: Buffer.from(render(), 'utf8') };
    this.pages.set(address, fresh);
    return fresh;
  }

  /** The page's bytes in the encoding asked for, compressed on first use and kept with it. */
  encoded(address: string, page: Page, encoding: PageEncoding | null): Buffer {
    if (encoding === null) return page.body;
    let bytes = page[encoding];
    if (!bytes) {
      bytes =
        encoding === 'br'
          ? brotliCompressSync(page.body, {
              params: {
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                // ~0.1 ms for a 4 KB page and within 10% of the best size (quality 9+ costs ~3.5 ms).
                [constants.BROTLI_PARAM_QUALITY]: 5,
                [constants.BROTLI_PARAM_SIZE_HINT]: page.body.length,
              },
            })
          : gzipSync(page.body, { level: 6 });
      page[encoding] = bytes;
      // Set again so the size bound counts the new copy.
      if (this.pages.get(address) === page) this.pages.set(address, page);
    }
    return bytes;
  }

  clear() {
    this.pages.clear();
  }
}

/**
 * The encoding to send for an Accept-Encoding header: brotli or gzip, the highest q-value first
 * (brotli on a tie), none when neither is acceptable (`q=0`) or the header is absent.
 */
export function negotiateEncoding(header: string | string[] | undefined): PageEncoding | null {
  if (!header) return null;
  let best: PageEncoding | null = null;
  let bestQ = 0;
  let wildcard: number | null = null;
  const seen = new Set<string>();
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName!.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value);
    }
    if (!Number.isFinite(q)) q = 0;
    if (name === '*') wildcard = q;
    if (name !== 'br' && name !== 'gzip') continue;
    seen.add(name);
    if (q > bestQ || (q === bestQ && q > 0 && name === 'br')) {
      best = name;
      bestQ = q;
    }
  }
  if (best === null && wildcard !== null && wildcard > 0) {
    if (!seen.has('br')) return 'br';
    if (!seen.has('gzip')) return 'gzip';
  }
  return best;
}
