import { readAdminUnitFiles } from '../modules/admin-units/load';
import { productMeta as productMetaOf } from '../modules/products/meta';
import { classify } from '../modules/products/taxonomy';
import { subjectMetaOfRules } from '../modules/subjects/contract';
import type { CraftVillage } from './data/craftVillages';
import type { Product, ProductMeta, ProductRow } from './data/products';
import type { Subject, SubjectMeta } from './data/subjects';
import type { UserRow } from './data/users';

/**
 * Answers of the demo API for page tests, in the shapes the server sends. The records (a subject,
 * a product, users) are recorded examples; everything that comes from reference data is built at
 * test time from the files the server itself loads: unit names from data/admin-units, the product
 * classification and form vocabularies from data/product-taxonomy.json and the modules' rules, so
 * the fixtures cannot drift from what the server answers.
 */
const units = readAdminUnitFiles().data;

function province(code: string) {
  const unit = units.provinces.find((p) => p.code === code);
  if (!unit) throw new Error(`province ${code} is not in data/admin-units`);
  return unit;
}

function commune(code: string) {
  const unit = units.communes.find((c) => c.code === code);
  if (!unit) throw new Error(`commune ${code} is not in data/admin-units`);
  return unit;
}

/** A commune and its province as the API's unit references. */
function place(communeCode: string) {
  const c = commune(communeCode);
  return {
    commune: { code: c.code, name: c.name },
    province: { code: c.provinceCode, name: province(c.provinceCode).name },
  };
}

/** The classification view the API gives a product of this scheme and code. */
function classification(scheme: string, code: string) {
  const found = classify(scheme, code);
  if (!found) throw new Error(`${scheme}/${code} is not a product class in data/product-taxonomy.json`);
  return { ...found, known: true };
}

const HOA_LU = place('14329');
const DUY_TIEN = place('13324');

export const subject: Subject = {
  id: '8f0113cd-957d-4f17-9c1b-e05bc669c72e',
  name: 'Công ty TNHH Cơm cháy Hoa Lư',
  type: 'sme',
  businessRegistrationNo: '2700100010',
  taxCode: '2700100010',
  address: 'Số 12 đường Tràng An',
  communeCode: HOA_LU.commune.code,
  communeName: HOA_LU.commune.name,
  provinceCode: HOA_LU.province.code,
  provinceName: HOA_LU.province.name,
  legalRepresentative: 'Phạm Thị Thu Hà',
  legalRepresentativeGender: 'female',
  womanLed: true,
  workforceTotal: 38,
  workforceLocal: 35,
  workforceTrained: 12,
  salesChannels: [
    {
      kind: 'supermarket',
      detail: 'Hệ thống siêu thị trong tỉnh',
    },
    {
      kind: 'ecommerce',
      detail: 'https://shop.example.vn/comchayhoalu',
    },
  ],
  phone: '0229 3871 234',
  email: 'lienhe@comchayhoalu.example.vn',
  website: null,
  version: 1,
  createdAt: '2026-11-24T09:30:30.206Z',
  updatedAt: '2026-11-24T09:30:30.206Z',
  archivedAt: null,
};

export const subjectMeta: SubjectMeta = subjectMetaOfRules();

export const productRow: ProductRow = {
  id: '9a7a2acd-0f0e-43e7-951d-93e76d2f9c0c',
  name: 'Bánh đa nem làng Chều',
  subject: {
    id: '2b58c0db-828f-476d-8781-dca69f602761',
    name: 'Hộ kinh doanh Bánh đa nem Duy Tiên',
  },
  ...DUY_TIEN,
  classification: classification('2026', '6'),
  gtin: null,
  status: 'registered',
  registeredAt: '2026-11-24T09:30:31.062Z',
  archivedAt: null,
  updatedAt: '2026-11-24T09:30:31.062Z',
  version: 2,
  coverPhotoId: 'cd878e13-5e92-4451-a2b6-9382d691e64c',
};

export const product: Product = {
  id: '9a7a2acd-0f0e-43e7-951d-93e76d2f9c0c',
  name: 'Bánh đa nem làng Chều',
  subject: {
    id: '2b58c0db-828f-476d-8781-dca69f602761',
    name: 'Hộ kinh doanh Bánh đa nem Duy Tiên',
  },
  ...DUY_TIEN,
  classification: classification('2026', '6'),
  gtin: null,
  status: 'registered',
  registeredAt: '2026-11-24T09:30:31.062Z',
  archivedAt: null,
  updatedAt: '2026-11-24T09:30:31.062Z',
  version: 2,
  coverPhotoId: 'cd878e13-5e92-4451-a2b6-9382d691e64c',
  description: 'Bánh đa nem mỏng, dai, tráng thủ công.',
  story: '',
  rawMaterialOrigin: '',
  standards: [],
  otherStandards: '',
  craftVillage: {
    id: '8ff3e34e-7008-48e3-8e5f-74f577abaa43',
    name: 'Làng nghề bánh đa nem Duy Tiên (minh hoạ)',
  },
  createdAt: '2026-11-24T09:30:30.996Z',
  photos: [
    {
      id: 'cd878e13-5e92-4451-a2b6-9382d691e64c',
      sortOrder: 0,
      mimeType: 'image/jpeg',
      width: 800,
      height: 600,
      bytes: 5796,
      thumbWidth: 320,
      thumbHeight: 240,
      thumbBytes: 2200,
      createdAt: '2026-11-24T09:30:31.053Z',
    },
  ],
};

/** With the default upload limit (UPLOAD_MAX_BYTES, 8 MiB). */
export const productMeta: ProductMeta = productMetaOf(8 * 1024 * 1024);

export const craftVillage: CraftVillage = {
  id: '8ff3e34e-7008-48e3-8e5f-74f577abaa43',
  name: 'Làng nghề bánh đa nem Duy Tiên (minh hoạ)',
  ...DUY_TIEN,
  recognitionYear: 2009,
  traditional: true,
  version: 1,
  createdAt: '2026-11-24T09:30:30.189Z',
  updatedAt: '2026-11-24T09:30:30.189Z',
  archivedAt: null,
};

export const users: UserRow[] = [
  {
    id: 'b79da952-1154-4f30-8f2a-9b4e501c5da0',
    email: 'chuthe@demo.ocop.vn',
    fullName: 'Phạm Thị Thu Hà (demo)',
    role: 'producer',
    provinceCode: null,
    communeCode: null,
    subjectIds: ['8f0113cd-957d-4f17-9c1b-e05bc669c72e'],
    active: true,
    mustChangePassword: false,
    createdAt: '2026-11-24T09:30:31.138Z',
    lastLoginAt: null,
  },
  {
    id: '829b0818-af96-472c-b152-ff12df957f56',
    email: 'hoidong@demo.ocop.vn',
    fullName: 'Thành viên hội đồng (demo)',
    role: 'council_member',
    provinceCode: null,
    communeCode: null,
    subjectIds: [],
    active: true,
    mustChangePassword: false,
    createdAt: '2026-11-24T09:30:31.118Z',
    lastLoginAt: null,
  },
];

/** A list page as the API answers it. */
export const page = <T>(items: T[], total = items.length) => ({ items, total, page: 1, pageSize: 20 });

/** The admin-units answers the unit pickers ask for: Ninh Bình and the fixtures' communes, from data/admin-units. */
const fixtureCommunes = [
  ...new Set([subject.communeCode, product.commune.code, craftVillage.commune.code]),
].map(commune);
const ninhBinh = province('37');

export const unitsApi = {
  'GET /api/v1/admin-units/provinces': {
    status: 200,
    body: {
      items: [
        {
          code: ninhBinh.code,
          name: ninhBinh.name,
          divisionType: ninhBinh.divisionType,
          communeCount: fixtureCommunes.length,
        },
      ],
    },
  },
  'GET /api/v1/admin-units/communes': {
    status: 200,
    body: page(
      fixtureCommunes.map((c) => ({
        code: c.code,
        name: c.name,
        divisionType: c.divisionType,
        provinceCode: c.provinceCode,
        provinceName: province(c.provinceCode).name,
      })),
    ),
  },
};
