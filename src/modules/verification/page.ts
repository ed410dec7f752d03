import type { Lang } from '../../server/errors';
import {
  type CertificateStatus,
  certificateStatusLabels,
  issuerLevelLabels,
  revocationReasonLabels,
} from '../certificates';
import type { PublicCertificate, PublicSearchHit } from './service';

/**
 * The public pages as plain server-rendered HTML: no script, CSS inline, phone first, a few KB.
 * Made for a consumer scanning a label on a slow network. Vietnamese by default, English with
 * ?lang=en. Stars are drawn as SVG shapes (the ★ glyph is missing from many phone fonts), and the
 * status is said in words as well as colour.
 */

const text = {
  title: { vi: 'Tra cứu sản phẩm OCOP', en: 'OCOP product verification' },
  programme: {
    vi: 'Chương trình Mỗi xã một sản phẩm (OCOP)',
    en: 'One Commune One Product (OCOP) programme',
  },
  verified: { vi: 'Mã xác thực hợp lệ', en: 'Authentic code' },
  unverifiedTitle: { vi: 'Không xác thực được', en: 'Could not be verified' },
  unverifiedBody: {
    vi: 'Mã QR này không do hệ thống OCOP cấp hoặc đã bị sửa đổi. Sản phẩm có thể là hàng giả mạo nhãn OCOP. Hãy tra cứu theo số giấy chứng nhận hoặc tên sản phẩm bên dưới, hoặc báo cho cơ quan quản lý.',
    en: 'This QR code was not issued by the OCOP system or has been altered. The product may carry a counterfeit OCOP label. Search by certificate number or product name below, or report it to the authorities.',
  },
  certificate: { vi: 'Giấy chứng nhận số', en: 'Certificate no.' },
  version: { vi: 'bản đính chính', en: 'corrected version' },
  subject: { vi: 'Chủ thể', en: 'Producer' },
  address: { vi: 'Địa chỉ', en: 'Address' },
  originalAddress: { vi: 'Địa chỉ khi công nhận', en: 'Address at recognition' },
  validity: { vi: 'Hiệu lực', en: 'Valid' },
  from: { vi: 'từ', en: 'from' },
  to: { vi: 'đến hết', en: 'to' },
  issuer: { vi: 'Cơ quan công nhận', en: 'Recognised by' },
  decision: { vi: 'Quyết định', en: 'Decision' },
  // Registries imported as they are may lack the number: said so, never filled with invented text.
  validityUnknown: { vi: 'không rõ — cần ngày quyết định', en: 'unknown — needs the decision date' },
  recognisedIn: { vi: 'năm', en: 'in' },
  dateBeingConfirmed: {
    vi: 'ngày quyết định đang được xác nhận',
    en: 'the decision date is being confirmed',
  },
  recognisedInYear: {
    vi: 'Sản phẩm được công nhận OCOP năm {year}; ngày quyết định đang được xác nhận.',
    en: 'This product was recognised under OCOP in {year}; the decision date is being confirmed.',
  },
  noDecisionNumber: { vi: 'chưa có số quyết định', en: 'decision number not yet recorded' },
  dated: { vi: 'ngày', en: 'of' },
  revokedBy: { vi: 'Thu hồi theo quyết định', en: 'Revoked by decision' },
  reason: { vi: 'Lý do', en: 'Reason' },
  successor: { vi: 'Đã được thay bằng giấy chứng nhận', en: 'Replaced by certificate' },
  stars: { vi: 'sao', en: 'stars' },
  search: {
    vi: 'Tìm theo số giấy chứng nhận hoặc tên sản phẩm',
    en: 'Search by certificate number or product name',
  },
  searchButton: { vi: 'Tìm', en: 'Search' },
  noResults: { vi: 'Không tìm thấy sản phẩm OCOP nào khớp.', en: 'No OCOP product matches.' },
  tooShort: { vi: 'Nhập ít nhất 2 ký tự.', en: 'Type at least 2 characters.' },
  photoAlt: { vi: 'Ảnh sản phẩm', en: 'Product photo' },
  otherLang: { vi: 'English', en: 'Tiếng Việt' },
} satisfies Record<string, { vi: string; en: string }>;

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const e = escapeHtml;

/** 'YYYY-MM-DD' as the Vietnamese write dates (dd/mm/yyyy), for both languages. */
export function displayDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

const STATUS_STYLE: Record<CertificateStatus, string> = {
  valid: 'background:#146c2e;color:#fff',
  expiring: 'background:#ffe08a;color:#4a3500',
  pending: 'background:#d6e4ff;color:#0b2e6f',
  expired: 'background:#5c5c5c;color:#fff',
  revoked: 'background:#b3261e;color:#fff',
  superseded: 'background:#3d4a5c;color:#fff',
  date_unknown: 'background:#d6e4ff;color:#0b2e6f',
};

const STATUS_ICON: Record<CertificateStatus, string> = {
  valid: '✓',
  expiring: '!',
  pending: '…',
  expired: '✕',
  revoked: '✕',
  superseded: '↻',
  date_unknown: '?',
};

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f5f2}
header{background:#0f5132;color:#fff;padding:10px 16px;display:flex;justify-content:space-between;align-items:center;gap:8px}
header a{color:#fff}header b{font-size:1rem}main{max-width:640px;margin:0 auto;padding:12px 16px 32px}
.card{background:#fff;border-radius:12px;padding:16px;margin:12px 0;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.badge{display:inline-block;padding:6px 12px;border-radius:999px;font-weight:700;font-size:1.05rem}
.ok{color:#146c2e;font-weight:600}.bad{border-left:6px solid #b3261e}
h1{font-size:1.35rem;margin:8px 0 4px;line-height:1.3}h2{font-size:1.1rem;margin:0 0 8px}
dl{margin:8px 0 0}dt{font-size:.85rem;color:#555;margin-top:8px}dd{margin:0}
img.photo{width:100%;max-height:320px;object-fit:cover;border-radius:8px;background:#e6e6e6}
.stars svg{width:28px;height:28px;margin-right:2px;vertical-align:middle}
form{display:flex;gap:8px;flex-wrap:wrap}input[type=search]{flex:1 1 200px;font-size:1rem;padding:10px;border:1px solid #767676;border-radius:8px}
button{font-size:1rem;padding:10px 16px;border:0;border-radius:8px;background:#0f5132;color:#fff}
ul.hits{list-style:none;padding:0;margin:0}ul.hits li{padding:10px 0;border-bottom:1px solid #ddd}
ul.hits a{color:#0b4a8b;font-weight:600}small{color:#555}footer{text-align:center;color:#555;font-size:.85rem;padding:16px}`;

/** One star shape defined once; each star is a <use> of it, filled or outlined. */
const STAR_SYMBOL =
  '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><symbol id="s" viewBox="0 0 24 24"><path d="M12 1.8l3.1 6.6 7.2.9-5.3 5 1.4 7.1L12 17.9l-6.4 3.5 1.4-7.1-5.3-5 7.2-.9z"/></symbol></svg>';

export function starsHtml(star: number, lang: Lang): string {
  const label = `${star} ${text.stars[lang]}`;
  const shapes = Array.from({ length: 5 }, (_, i) =>
    i < star
      ? '<svg aria-hidden="true"><use href="#s" fill="#e0a100" stroke="#8a6200" stroke-width="1"/></svg>'
      : '<svg aria-hidden="true"><use href="#s" fill="none" stroke="#9a9a9a" stroke-width="1.5"/></svg>',
  ).join('');
  return `<div class="stars" role="img" aria-label="${e(label)}">${shapes} <b>${e(label)}</b></div>`;
}

export function statusBadge(status: CertificateStatus, lang: Lang): string {
  return `<span class="badge" style="${STATUS_STYLE[status]}"><span aria-hidden="true">${STATUS_ICON[status]} </span>${e(certificateStatusLabels[status][lang])}</span>`;
}

function layout(lang: Lang, title: string, body: string, otherLangHref: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${e(title)}</title><style>${CSS}</style></head><body>${STAR_SYMBOL}<header><b>OCOP</b><a href="${e(otherLangHref)}" lang="${lang === 'vi' ? 'en' : 'vi'}">${text.otherLang[lang]}</a></header><main>${body}</main><footer>${e(text.programme[lang])}</footer></body></html>`;
}

function searchForm(lang: Lang, q = ''): string {
  return `<form method="get" action="/tra-cuu" role="search"><label for="q" style="flex-basis:100%">${e(text.search[lang])}</label><input type="search" id="q" name="q" value="${e(q)}" maxlength="100" autocomplete="off">${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}<button type="submit">${e(text.searchButton[lang])}</button></form>`;
}

export function renderCertificatePage(c: PublicCertificate, lang: Lang, otherLangHref: string): string {
  const t = (k: keyof typeof text) => e(text[k][lang]);
  const place = [c.commune, c.province].filter(Boolean).join(', ');
  const revocation = c.revocation
    ? `<dt>${t('revokedBy')}</dt><dd>${e(c.revocation.decisionNumber)} ${t('dated')} ${displayDate(c.revocation.decisionDate)}</dd><dt>${t('reason')}</dt><dd>${e(revocationReasonLabels[c.revocation.reason][lang])}</dd>`
    : '';
  const successor = c.successor
    ? `<dt>${t('successor')}</dt><dd><a href="${e(c.successor.path)}${lang === 'en' ? '&amp;lang=en' : ''}">${e(c.successor.number)}</a></dd>`
    : '';
  const photo = c.photoPath
    ? `<img class="photo" src="${e(c.photoPath)}" alt="${t('photoAlt')}: ${e(c.productName)}" width="320" height="240">`
    : '';
  const body = `<div class="card${c.status === 'revoked' ? ' bad' : ''}"><p class="ok">✓ ${t('verified')}</p>${statusBadge(c.status, lang)}${
    // A year-only record: what is known, said plainly — neither "valid until" nor "expired".
    c.status === 'date_unknown' && c.recognitionYear !== null
      ? `<p>${e(text.recognisedInYear[lang].replace('{year}', String(c.recognitionYear)))}</p>`
      : ''
  }
<h1>${e(c.productName)}</h1>${starsHtml(c.star, lang)}${photo}
<dl><dt>${t('subject')}</dt><dd>${e(c.subjectName)}</dd>
<dt>${t('address')}</dt><dd>${e(place)}</dd>${c.originalAddress ? `<dt>${t('originalAddress')}</dt><dd>${e(c.originalAddress)}</dd>` : ''}
<dt>${t('certificate')}</dt><dd>${e(c.number)}${c.version > 1 ? ` <small>(${t('version')} ${c.version})</small>` : ''}</dd>
<dt>${t('validity')}</dt><dd>${c.validFrom && c.validTo ? `${t('from')} ${displayDate(c.validFrom)} ${t('to')} ${displayDate(c.validTo)}` : t('validityUnknown')}</dd>
<dt>${t('issuer')}</dt><dd>${e(c.issuerName)} <small>(${e(issuerLevelLabels[c.issuerLevel][lang])})</small></dd>
<dt>${t('decision')}</dt><dd>${c.decisionNumber ? e(c.decisionNumber) : t('noDecisionNumber')} ${c.decisionDate ? `${t('dated')} ${displayDate(c.decisionDate)}` : `${t('recognisedIn')} ${c.recognitionYear ?? ''} (${t('dateBeingConfirmed')})`}</dd>${revocation}${successor}</dl></div>
<div class="card">${searchForm(lang)}</div>`;
  return layout(lang, `${c.productName} — ${text.title[lang]}`, body, otherLangHref);
}

export function renderUnverifiedPage(lang: Lang, otherLangHref: string): string {
  const body = `<div class="card bad" role="alert"><span class="badge" style="${STATUS_STYLE.revoked}"><span aria-hidden="true">✕ </span>${e(text.unverifiedTitle[lang])}</span><h1>${e(text.unverifiedTitle[lang])}</h1><p>${e(text.unverifiedBody[lang])}</p></div><div class="card">${searchForm(lang)}</div>`;
  return layout(lang, `${text.unverifiedTitle[lang]} — ${text.title[lang]}`, body, otherLangHref);
}

export function renderSearchPage(
  lang: Lang,
  q: string,
  hits: PublicSearchHit[] | null,
  otherLangHref: string,
): string {
  let results = '';
  if (hits === null) results = q ? `<p>${e(text.tooShort[lang])}</p>` : '';
  else if (hits.length === 0) results = `<p>${e(text.noResults[lang])}</p>`;
  else
    results = `<ul class="hits">${hits
      .map(
        (h) =>
          `<li><a href="${e(h.path)}${lang === 'en' ? '&amp;lang=en' : ''}">${e(h.productName)}</a><br>${starsHtml(h.star, lang)}${statusBadge(h.status, lang)}<br><small>${e(h.subjectName)} · ${e(h.province)} · ${e(h.number)}</small></li>`,
      )
      .join('')}</ul>`;
  const body = `<h1>${e(text.title[lang])}</h1><div class="card">${searchForm(lang, q)}</div>${results ? `<div class="card" aria-live="polite">${results}</div>` : ''}`;
  return layout(lang, text.title[lang], body, otherLangHref);
}
