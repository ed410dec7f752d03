/** Answers recorded from the demo API, for page tests (shapes as the server sends them). */
import type { CraftVillage } from './data/craftVillages';
import type { Product, ProductMeta, ProductRow } from './data/products';
import type { Subject, SubjectMeta } from './data/subjects';
import type { UserRow } from './data/users';

export const subject: Subject = {
  id: '8f0113cd-957d-4f17-9c1b-e05bc669c72e',
  name: 'Công ty TNHH Cơm cháy Hoa Lư',
  type: 'sme',
  businessRegistrationNo: '2700100010',
  taxCode: '2700100010',
  address: 'Số 12 đường Tràng An',
  communeCode: '14329',
  communeName: 'Phường Hoa Lư',
  provinceCode: '37',
  provinceName: 'Tỉnh Ninh Bình',
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

export const subjectMeta: SubjectMeta = {
  types: [
    {
      code: 'cooperative',
      vi: 'Hợp tác xã',
      en: 'Cooperative',
      enterprise: false,
      personal: false,
    },
    {
      code: 'cooperative_group',
      vi: 'Tổ hợp tác',
      en: 'Cooperative group',
      enterprise: false,
      personal: false,
    },
    {
      code: 'sme',
      vi: 'Doanh nghiệp nhỏ và vừa',
      en: 'Small or medium enterprise',
      enterprise: true,
      personal: false,
    },
    {
      code: 'other_enterprise',
      vi: 'Doanh nghiệp khác',
      en: 'Other enterprise',
      enterprise: true,
      personal: false,
    },
    {
      code: 'household_business',
      vi: 'Hộ kinh doanh có đăng ký',
      en: 'Registered household business',
      enterprise: false,
      personal: true,
    },
    {
      code: 'farm',
      vi: 'Trang trại',
      en: 'Farm',
      enterprise: false,
      personal: true,
    },
    {
      code: 'association',
      vi: 'Hội, hiệp hội',
      en: 'Association',
      enterprise: false,
      personal: false,
    },
    {
      code: 'tourism_operator',
      vi: 'Đơn vị kinh doanh du lịch',
      en: 'Tourism operator',
      enterprise: false,
      personal: false,
    },
  ],
  salesChannelKinds: [
    {
      code: 'supermarket',
      vi: 'Siêu thị',
      en: 'Supermarket',
      requiresDetail: false,
      modern: true,
      detailLabel: {
        vi: 'Tên siêu thị',
        en: 'Supermarket name',
      },
    },
    {
      code: 'convenience_store',
      vi: 'Cửa hàng tiện lợi',
      en: 'Convenience store',
      requiresDetail: false,
      modern: true,
      detailLabel: {
        vi: 'Tên chuỗi cửa hàng',
        en: 'Store chain',
      },
    },
    {
      code: 'ecommerce',
      vi: 'Sàn thương mại điện tử',
      en: 'E-commerce platform',
      requiresDetail: true,
      modern: true,
      detailLabel: {
        vi: 'Địa chỉ gian hàng',
        en: 'Shop address',
      },
    },
    {
      code: 'export',
      vi: 'Xuất khẩu',
      en: 'Export',
      requiresDetail: false,
      modern: false,
      detailLabel: {
        vi: 'Thị trường',
        en: 'Markets',
      },
    },
    {
      code: 'showroom',
      vi: 'Điểm giới thiệu và bán sản phẩm OCOP',
      en: 'OCOP showroom',
      requiresDetail: false,
      modern: false,
      detailLabel: {
        vi: 'Địa điểm',
        en: 'Location',
      },
    },
    {
      code: 'traditional_market',
      vi: 'Chợ truyền thống',
      en: 'Traditional market',
      requiresDetail: false,
      modern: false,
      detailLabel: {
        vi: 'Tên chợ',
        en: 'Market name',
      },
    },
  ],
  genders: [
    {
      code: 'female',
      vi: 'Nữ',
      en: 'Female',
    },
    {
      code: 'male',
      vi: 'Nam',
      en: 'Male',
    },
    {
      code: 'other',
      vi: 'Khác',
      en: 'Other',
    },
  ],
  sorts: ['name', '-name', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt'],
};

export const productRow: ProductRow = {
  id: '9a7a2acd-0f0e-43e7-951d-93e76d2f9c0c',
  name: 'Bánh đa nem làng Chều',
  subject: {
    id: '2b58c0db-828f-476d-8781-dca69f602761',
    name: 'Hộ kinh doanh Bánh đa nem Duy Tiên',
  },
  commune: {
    code: '13324',
    name: 'Phường Duy Tiên',
  },
  province: {
    code: '37',
    name: 'Tỉnh Ninh Bình',
  },
  classification: {
    scheme: '2026',
    code: '6',
    known: true,
    group: {
      code: 'I',
      label: {
        vi: 'Thực phẩm',
        en: 'Food',
      },
    },
    subGroup: null,
    set: {
      code: '6',
      label: {
        vi: 'Chế biến từ gạo, ngũ cốc',
        en: 'Processed rice and cereal products',
      },
    },
  },
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
  commune: {
    code: '13324',
    name: 'Phường Duy Tiên',
  },
  province: {
    code: '37',
    name: 'Tỉnh Ninh Bình',
  },
  classification: {
    scheme: '2026',
    code: '6',
    known: true,
    group: {
      code: 'I',
      label: {
        vi: 'Thực phẩm',
        en: 'Food',
      },
    },
    subGroup: null,
    set: {
      code: '6',
      label: {
        vi: 'Chế biến từ gạo, ngũ cốc',
        en: 'Processed rice and cereal products',
      },
    },
  },
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

export const productMeta: ProductMeta = {
  currentScheme: '2026',
  schemes: [
    {
      code: '2026',
      label: {
        vi: 'Phân nhóm hiện hành (26/2026/QĐ-TTg)',
        en: 'Current classification (26/2026/QĐ-TTg)',
      },
      legalBasis: '26/2026/QĐ-TTg',
      current: true,
      complete: true,
      classifyAt: 'set',
      notes: [],
      groups: [
        {
          code: 'I',
          label: {
            vi: 'Thực phẩm',
            en: 'Food',
          },
          sets: [
            {
              code: '1',
              label: {
                vi: 'Rau, củ, quả, hạt tươi',
                en: 'Fresh vegetables, tubers, fruits and nuts',
              },
            },
            {
              code: '2',
              label: {
                vi: 'Thịt, thủy sản, trứng, sữa tươi',
                en: 'Fresh meat, aquatic products, eggs and milk',
              },
            },
            {
              code: '3',
              label: {
                vi: 'Gạo, ngũ cốc, hạt sơ chế khác',
                en: 'Rice, cereals and other primary-processed grains',
              },
            },
            {
              code: '4',
              label: {
                vi: 'Mật ong, mật khác và nông sản thực phẩm khác',
                en: 'Honey, other syrups and other agricultural food products',
              },
            },
            {
              code: '5',
              label: {
                vi: 'Đồ ăn nhanh',
                en: 'Convenience food',
              },
            },
            {
              code: '6',
              label: {
                vi: 'Chế biến từ gạo, ngũ cốc',
                en: 'Processed rice and cereal products',
              },
            },
            {
              code: '7',
              label: {
                vi: 'Chế biến từ rau, củ, quả, hạt',
                en: 'Processed vegetable, tuber, fruit and nut products',
              },
            },
            {
              code: '8',
              label: {
                vi: 'Chế biến từ thịt, thủy sản, trứng, sữa, mật ong',
                en: 'Processed meat, aquatic, egg, dairy and honey products',
              },
            },
            {
              code: '9',
              label: {
                vi: 'Tương, nước mắm, gia vị dạng lỏng khác',
                en: 'Soy pastes, fish sauce and other liquid seasonings',
              },
            },
            {
              code: '10',
              label: {
                vi: 'Gia vị khác',
                en: 'Other seasonings',
              },
            },
            {
              code: '11',
              label: {
                vi: 'Chè tươi, chè chế biến',
                en: 'Fresh and processed tea',
              },
            },
            {
              code: '12',
              label: {
                vi: 'Sản phẩm trà từ thực vật khác',
                en: 'Teas from other plants',
              },
            },
            {
              code: '13',
              label: {
                vi: 'Cà phê, cacao',
                en: 'Coffee and cocoa',
              },
            },
          ],
        },
        {
          code: 'II',
          label: {
            vi: 'Đồ uống',
            en: 'Beverages',
          },
          sets: [
            {
              code: '14',
              label: {
                vi: 'Rượu trắng',
                en: 'White spirits',
              },
            },
            {
              code: '15',
              label: {
                vi: 'Đồ uống có cồn khác',
                en: 'Other alcoholic beverages',
              },
            },
            {
              code: '16',
              label: {
                vi: 'Nước khoáng thiên nhiên, nước uống đóng chai',
                en: 'Natural mineral water and bottled drinking water',
              },
            },
            {
              code: '17',
              label: {
                vi: 'Đồ uống không cồn khác',
                en: 'Other non-alcoholic beverages',
              },
            },
          ],
        },
        {
          code: 'III',
          label: {
            vi: 'Dược liệu và sản phẩm từ dược liệu',
            en: 'Medicinal herbs and herbal products',
          },
          sets: [
            {
              code: '18',
              label: {
                vi: 'Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền',
                en: 'Functional foods, herbal medicines and traditional medicines',
              },
            },
            {
              code: '19',
              label: {
                vi: 'Mỹ phẩm có thành phần từ dược liệu',
                en: 'Cosmetics with medicinal-herb ingredients',
              },
            },
            {
              code: '20',
              label: {
                vi: 'Tinh dầu và dược liệu khác',
                en: 'Essential oils and other medicinal materials',
              },
            },
          ],
        },
        {
          code: 'IV',
          label: {
            vi: 'Thủ công mỹ nghệ',
            en: 'Handicrafts',
          },
          sets: [
            {
              code: '21',
              label: {
                vi: 'Thủ công mỹ nghệ (gia dụng, trang trí)',
                en: 'Handicrafts (household and decorative)',
              },
            },
            {
              code: '22',
              label: {
                vi: 'Vải, may mặc',
                en: 'Textiles and garments',
              },
            },
          ],
        },
        {
          code: 'V',
          label: {
            vi: 'Sinh vật cảnh',
            en: 'Ornamental plants and animals',
          },
          sets: [
            {
              code: '23',
              label: {
                vi: 'Hoa',
                en: 'Flowers',
              },
            },
            {
              code: '24',
              label: {
                vi: 'Cây cảnh',
                en: 'Ornamental plants',
              },
            },
            {
              code: '25',
              label: {
                vi: 'Động vật cảnh',
                en: 'Ornamental animals',
              },
            },
          ],
        },
        {
          code: 'VI',
          label: {
            vi: 'Dịch vụ du lịch',
            en: 'Tourism services',
          },
          sets: [
            {
              code: '26',
              label: {
                vi: 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch',
                en: 'Community tourism, eco-tourism services and tourist sites',
              },
            },
          ],
        },
      ],
    },
    {
      code: '1048',
      label: {
        vi: 'Phân ngành theo 1048/QĐ-TTg (sản phẩm cũ)',
        en: 'Sectors of 1048/QĐ-TTg (historic products)',
      },
      legalBasis: '1048/QĐ-TTg',
      current: false,
      complete: false,
      classifyAt: 'group-or-set',
      notes: [],
      groups: [
        {
          code: '1',
          label: {
            vi: 'Thực phẩm',
            en: 'Food',
          },
          sets: [
            {
              code: 'rau-cu-qua-hat-tuoi',
              label: {
                vi: 'Rau, củ, quả, hạt tươi',
                en: 'Fresh vegetables, tubers, fruits and nuts',
              },
            },
          ],
        },
        {
          code: '2',
          label: {
            vi: 'Đồ uống',
            en: 'Beverages',
          },
          sets: [],
        },
        {
          code: '3',
          label: {
            vi: 'Thảo dược',
            en: 'Herbal products',
          },
          sets: [],
        },
        {
          code: '4',
          label: {
            vi: 'Vải và may mặc',
            en: 'Textiles and garments',
          },
          sets: [],
        },
        {
          code: '5',
          label: {
            vi: 'Lưu niệm - nội thất - trang trí',
            en: 'Souvenirs, furnishings and decoration',
          },
          sets: [],
        },
        {
          code: '6',
          label: {
            vi: 'Dịch vụ du lịch nông thôn, bán hàng',
            en: 'Rural tourism services and sales',
          },
          sets: [],
        },
      ],
    },
  ],
  standards: [
    {
      code: 'VIETGAP',
      label: {
        vi: 'VietGAP',
        en: 'VietGAP',
      },
    },
    {
      code: 'VIETGAHP',
      label: {
        vi: 'VietGAHP (chăn nuôi)',
        en: 'VietGAHP (livestock)',
      },
    },
    {
      code: 'GLOBALGAP',
      label: {
        vi: 'GlobalG.A.P.',
        en: 'GlobalG.A.P.',
      },
    },
    {
      code: 'ORGANIC',
      label: {
        vi: 'Hữu cơ (TCVN 11041)',
        en: 'Organic (TCVN 11041)',
      },
    },
    {
      code: 'ORGANIC_INTL',
      label: {
        vi: 'Hữu cơ quốc tế (EU, USDA, JAS…)',
        en: 'International organic (EU, USDA, JAS…)',
      },
    },
    {
      code: 'HACCP',
      label: {
        vi: 'HACCP',
        en: 'HACCP',
      },
    },
    {
      code: 'ISO_22000',
      label: {
        vi: 'ISO 22000',
        en: 'ISO 22000',
      },
    },
    {
      code: 'FSSC_22000',
      label: {
        vi: 'FSSC 22000',
        en: 'FSSC 22000',
      },
    },
    {
      code: 'ISO_9001',
      label: {
        vi: 'ISO 9001',
        en: 'ISO 9001',
      },
    },
    {
      code: 'GMP',
      label: {
        vi: 'GMP',
        en: 'GMP',
      },
    },
    {
      code: 'TCCS',
      label: {
        vi: 'Tiêu chuẩn cơ sở công bố áp dụng (TCCS)',
        en: 'Declared standard (company standard)',
      },
    },
    {
      code: 'SELF_DECLARATION',
      label: {
        vi: 'Tự công bố sản phẩm',
        en: 'Product self-declaration',
      },
    },
  ],
  statuses: [
    {
      code: 'draft',
      label: {
        vi: 'Nháp',
        en: 'Draft',
      },
    },
    {
      code: 'registered',
      label: {
        vi: 'Đã đăng ký',
        en: 'Registered',
      },
    },
    {
      code: 'certified',
      label: {
        vi: 'Đã công nhận (còn hiệu lực)',
        en: 'Certified',
      },
    },
    {
      code: 'expired',
      label: {
        vi: 'Hết hiệu lực',
        en: 'Expired',
      },
    },
    {
      code: 'revoked',
      label: {
        vi: 'Bị thu hồi',
        en: 'Revoked',
      },
    },
  ],
  photoLimits: {
    maxPhotosPerProduct: 10,
    maxBytes: 8388608,
    acceptedTypes: ['image/jpeg', 'image/png', 'image/webp'],
  },
};

export const craftVillage: CraftVillage = {
  id: '8ff3e34e-7008-48e3-8e5f-74f577abaa43',
  name: 'Làng nghề bánh đa nem Duy Tiên (minh hoạ)',
  commune: {
    code: '13324',
    name: 'Phường Duy Tiên',
  },
  province: {
    code: '37',
    name: 'Tỉnh Ninh Bình',
  },
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

/** The admin-units answers the unit pickers ask for: Ninh Bình and the fixtures' communes. */
export const unitsApi = {
  'GET /api/v1/admin-units/provinces': {
    status: 200,
    body: { items: [{ code: '37', name: 'Tỉnh Ninh Bình', divisionType: 'tỉnh', communeCount: 3 }] },
  },
  'GET /api/v1/admin-units/communes': {
    status: 200,
    body: page(
      [
        ...new Map([
          [subject.communeCode, subject.communeName],
          [product.commune.code, product.commune.name],
          [craftVillage.commune.code, craftVillage.commune.name],
        ]),
      ].map(([code, name]) => ({
        code,
        name,
        divisionType: 'xã',
        provinceCode: '37',
        provinceName: 'Tỉnh Ninh Bình',
      })),
    ),
  },
};
