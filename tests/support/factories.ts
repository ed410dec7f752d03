import type { z } from 'zod';
import type { CertificateView, issueCertificateBody } from '../../src/modules/certificates/contract';
import { addDays } from '../../src/modules/certificates/contract';
import type {
  CreateCycleInput,
  CreateDossierInput,
  CycleView,
  DossierView,
} from '../../src/modules/evaluation/contract';
import type { CreateProductInput, ProductView } from '../../src/modules/products/contract';
import type { CreateSubjectInput, SubjectView } from '../../src/modules/subjects/contract';
import { today } from '../../src/shared/dates';

/**
 * Test data made through the API, the same way in the API tests (`app.inject`) and in the browser
 * journeys (HTTP to the real server): each `make…` takes an `ApiCaller` logged in as someone allowed
 * to create the record, fills what a test does not care about with valid, unique values, and returns
 * the created record's view. A refusal throws with the status and the error body, so a broken
 * factory says why. `db-factories.ts` writes rows directly for API tests that need many records fast.
 */

export type ApiAnswer<T = unknown> = { status: number; body: T };

/** One request to `/api/v1<path>` as a given person. */
export type ApiCaller = <T = unknown>(method: string, path: string, body?: unknown) => Promise<ApiAnswer<T>>;

/** Real administrative units of the shipped reference data (the template database loads them). */
export const UNITS = {
  ninhBinh: '37',
  ninhBinhCommuneA: '13285',
  ninhBinhCommuneB: '13291',
  hungYen: '33',
  hungYenCommune: '11953',
} as const;

/** A caller through `app.inject` with the headers of `TestContext.login`/`as`. */
export function injectCaller(
  app: { inject: (options: Record<string, unknown>) => PromiseLike<{ statusCode: number; body: string }> },
  headers: Record<string, string>,
): ApiCaller {
  return async <T>(method: string, path: string, body?: unknown) => {
    const response = await app.inject({
      method,
      url: `/api/v1${path}`,
      headers,
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    return { status: response.statusCode, body: parseBody(response.body) as T };
  };
}

/** Logs in over HTTP (a running server: the browser journeys') and returns a caller with its cookie and CSRF token. */
export async function httpCaller(baseUrl: string, email: string, password: string): Promise<ApiCaller> {
  const login = await fetch(new URL('/api/v1/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const answer = parseBody(await login.text()) as { csrfToken?: string };
  if (login.status !== 200 || !answer.csrfToken) {
    throw new Error(`login as ${email}: ${login.status} ${JSON.stringify(answer)}`);
  }
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = answer.csrfToken;
  return async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(`/api/v1${path}`, baseUrl), {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: parseBody(await response.text()) as T };
  };
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The body of an answer with the expected status, else an error naming the request and what came back. */
export async function expectStatus<T>(
  answer: Promise<ApiAnswer<T>>,
  status: number,
  what: string,
): Promise<T> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

let sequence = 0;
/** Unique across the files of a run (each runs in its own process) and across runs on one database. */
export function unique(prefix: string): string {
  sequence++;
  return `${prefix} ${process.pid % 10_000}-${Date.now() % 100_000}-${sequence}`;
}

/** Days from today in Hà Nội as 'YYYY-MM-DD', so statuses do not drift as the calendar moves on. */
export const daysFromToday = (days: number) => addDays(today(), days);

export function makeSubject(api: ApiCaller, over: Partial<CreateSubjectInput> = {}): Promise<SubjectView> {
  const body: CreateSubjectInput = {
    name: unique('HTX Kiểm thử'),
    type: 'cooperative',
    address: 'Thôn 1',
    communeCode: UNITS.ninhBinhCommuneA,
    legalRepresentative: 'Nguyễn Thị Lan',
    legalRepresentativeGender: 'female',
    ...over,
  };
  return expectStatus(api<SubjectView>('POST', '/subjects', body), 201, 'make a subject');
}

export function makeProduct(
  api: ApiCaller,
  input: Pick<CreateProductInput, 'subjectId'> & Partial<CreateProductInput>,
): Promise<ProductView> {
  const body: CreateProductInput = {
    name: unique('Cơm cháy chà bông'),
    categoryCode: '6',
    communeCode: UNITS.ninhBinhCommuneA,
    ...input,
  };
  return expectStatus(api<ProductView>('POST', '/products', body), 201, 'make a product');
}

let round = 0;
/** A provincial cycle next year (rounds numbered per file); the rule-set must be active. */
export function makeCycle(api: ApiCaller, over: Partial<CreateCycleInput> = {}): Promise<CycleView> {
  round++;
  const year = Number(today().slice(0, 4)) + 1;
  const body: CreateCycleInput = {
    level: 'province',
    year,
    round: ((process.pid + round) % 12) + 1,
    ruleSetCode: '26-2026',
    submissionDeadline: `${year}-06-30`,
    meetingDate: `${year}-07-15`,
    ...over,
  };
  return expectStatus(api<CycleView>('POST', '/evaluation/cycles', body), 201, 'make a cycle');
}

/** A draft dossier of a product in a cycle, made by the product's producer. */
export function makeDossier(
  api: ApiCaller,
  cycleId: string,
  input: Pick<CreateDossierInput, 'productId'> & Partial<CreateDossierInput>,
): Promise<DossierView> {
  const body: CreateDossierInput = { evaluationType: 'new', ...input };
  return expectStatus(
    api<DossierView>('POST', `/evaluation/cycles/${cycleId}/dossiers`, body),
    201,
    'make a dossier',
  );
}

/** The issuing body of a certificate: a 3-star provincial decision of a month ago, with a unique number. */
/** What a client sends (defaults such as `issueKind` may be left out). */
type IssueBody = z.input<typeof issueCertificateBody>;

export function certificateBody(productId: string, over: Partial<IssueBody> = {}): IssueBody {
  return {
    productId,
    star: 3,
    ruleSetCode: '26-2026',
    issuer: { name: 'Ủy ban nhân dân tỉnh Ninh Bình', level: 'province' },
    decisionNumber: `${1000 + Math.floor(Math.random() * 9000)}-${Date.now() % 100_000}/QĐ-UBND`,
    decisionDate: daysFromToday(-30),
    ...over,
  };
}

export function makeCertificate(
  api: ApiCaller,
  productId: string,
  over: Partial<IssueBody> = {},
): Promise<CertificateView> {
  return expectStatus(
    api<CertificateView>('POST', '/certificates', certificateBody(productId, over)),
    201,
    'make a certificate',
  );
}

type RuleSetSummary = { id: string; status: string; version: number };

/**
 * Activates the shipped draft of a rule-set (the template database holds every shipped rule-set as a
 * draft) after setting how many active sheets it needs; as a system administrator.
 */
export async function activateShippedRuleSet(
  api: ApiCaller,
  code: string,
  minimumSheets: number,
): Promise<void> {
  const list = await expectStatus(
    api<{ items: RuleSetSummary[] }>('GET', `/criteria/rule-sets?code=${code}&status=draft`),
    200,
    `find the draft of ${code}`,
  );
  const draft = list.items[0];
  if (!draft) throw new Error(`no draft of rule-set ${code} to activate`);
  const set = await expectStatus(
    api<RuleSetSummary>('PATCH', `/criteria/rule-sets/${draft.id}/parameters`, {
      version: draft.version,
      minimumSheets,
    }),
    200,
    `set the parameters of ${code}`,
  );
  await expectStatus(
    api('POST', `/criteria/rule-sets/${draft.id}/activate`, { version: set.version }),
    200,
    `activate ${code}`,
  );
}

/** Activates the draft of a scoring sheet by its code (a shipped one, or one a test posted); as a system administrator. */
export async function activateShippedSheet(api: ApiCaller, code: string): Promise<void> {
  const list = await expectStatus(
    api<{ items: (RuleSetSummary & { code: string })[] }>('GET', '/criteria/sheets'),
    200,
    'list the sheets',
  );
  const sheet = list.items.find((s) => s.code === code && s.status === 'draft');
  if (!sheet) throw new Error(`no draft sheet ${code} to activate`);
  await expectStatus(
    api('POST', `/criteria/sheets/${sheet.id}/activate`, { version: sheet.version }),
    200,
    `activate ${code}`,
  );
}
