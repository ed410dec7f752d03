import type { Role } from '../modules/accounts';
import type { CreateCraftVillageInput, CreateProductInput } from '../modules/products/contract';
import type { CreateSubjectInput } from '../modules/subjects/contract';

/**
 * The demo province: new Ninh Bình (code 37, merged 2025 from Ninh Bình, Hà Nam and Nam Định).
 * Commune codes are the official ones; every business, person and figure here is invented for
 * demonstration. Tax codes carry valid check digits so the forms accept them on edit.
 */
export { DEMO_PASSWORD } from '../modules/accounts';
export const DEMO_PROVINCE = '37';

const GIA_VIEN = '14464';
const HOA_LU = '14329';
const KIM_SON = '14638';
const PHAT_DIEM = '14620';
const CUC_PHUONG = '14404';
const HAI_HAU = '14215';
const GIAO_THUY = '14167';
const DUY_TIEN = '13324';

export type DemoProduct = Omit<CreateProductInput, 'subjectId' | 'communeCode' | 'craftVillageId'> & {
  communeCode?: string;
  craftVillage?: string;
  registered: boolean;
  /** Background of the generated demo photo. */
  colour: string;
};

export type DemoSubject = CreateSubjectInput & { products: DemoProduct[] };

export type DemoAccount = {
  role: Role;
  email: string;
  fullName: string;
  provinceCode?: string;
  communeCode?: string;
  /** Names of the demo subjects a producer represents. */
  subjects?: string[];
};

export const DEMO_CRAFT_VILLAGES: CreateCraftVillageInput[] = [
  {
    name: 'Làng nghề cói Kim Sơn (minh hoạ)',
    communeCode: KIM_SON,
    recognitionYear: 2012,
    traditional: true,
  },
  {
    name: 'Làng nghề bánh đa nem Duy Tiên (minh hoạ)',
    communeCode: DUY_TIEN,
    recognitionYear: 2009,
    traditional: true,
  },
];

export const DEMO_SUBJECTS: DemoSubject[] = [
  {
    name: 'Công ty TNHH Cơm cháy Hoa Lư',
    type: 'sme',
    taxCode: '2700100010',
    businessRegistrationNo: '2700100010',
    address: 'Số 12 đường Tràng An',
    communeCode: HOA_LU,
    legalRepresentative: 'Phạm Thị Thu Hà',
    legalRepresentativeGender: 'female',
    workforceTotal: 38,
    workforceLocal: 35,
    workforceTrained: 12,
    salesChannels: [
      { kind: 'supermarket', detail: 'Hệ thống siêu thị trong tỉnh' },
      { kind: 'ecommerce', detail: 'https://shop.example.vn/comchayhoalu' },
    ],
    phone: '0229 3871 234',
    email: 'lienhe@comchayhoalu.example.vn',
    products: [
      {
        name: 'Cơm cháy chà bông',
        categoryCode: '6',
        description: 'Cơm cháy giòn rụm phủ chà bông heo, đóng túi 200 g.',
        story: 'Từ món cơm cháy dân dã của vùng cố đô Hoa Lư.',
        rawMaterialOrigin: 'Gạo tám thơm vùng Hải Hậu; chà bông từ lợn nuôi tại Gia Viễn.',
        standards: ['TCCS', 'HACCP'],
        gtin: '8936012345672',
        registered: true,
        colour: '#b45309',
      },
      {
        name: 'Cơm cháy ruốc tôm',
        categoryCode: '6',
        description: 'Cơm cháy vị ruốc tôm, hộp 300 g.',
        standards: ['TCCS'],
        registered: false,
        colour: '#c2410c',
      },
    ],
  },
  {
    name: 'Hợp tác xã Rau hữu cơ Gia Viễn',
    type: 'cooperative',
    taxCode: '2700700018',
    address: 'Thôn Tập Ninh',
    communeCode: GIA_VIEN,
    legalRepresentative: 'Phạm Thị Thu Hà',
    legalRepresentativeGender: 'female',
    workforceTotal: 15,
    workforceLocal: 15,
    workforceTrained: 5,
    salesChannels: [{ kind: 'supermarket', detail: 'Siêu thị Ninh Bình' }, { kind: 'traditional_market' }],
    products: [
      {
        // Product set 1 "Rau, củ, quả, hạt tươi": the set the demo scoring sheet covers, so the evaluation can be walked.
        name: 'Rau cải mầm hữu cơ Gia Viễn',
        categoryCode: '1',
        description: 'Rau cải mầm trồng hữu cơ trong nhà lưới, hộp 200 g.',
        standards: ['VIETGAP'],
        registered: true,
        colour: '#4d7c0f',
      },
      {
        name: 'Dưa lưới Gia Viễn',
        categoryCode: '1',
        description: 'Dưa lưới trồng nhà màng, quả 1,5–2 kg.',
        standards: ['VIETGAP'],
        registered: true,
        colour: '#65a30d',
      },
    ],
  },
  {
    name: 'Hợp tác xã Dê núi Gia Viễn',
    type: 'cooperative',
    taxCode: '2700200015',
    address: 'Thôn Đông',
    communeCode: GIA_VIEN,
    legalRepresentative: 'Đinh Văn Khải',
    legalRepresentativeGender: 'male',
    workforceTotal: 24,
    workforceLocal: 24,
    workforceTrained: 6,
    salesChannels: [{ kind: 'showroom', detail: 'Điểm bán OCOP Tràng An' }, { kind: 'traditional_market' }],
    products: [
      {
        name: 'Thịt dê núi ướp sả',
        categoryCode: '8',
        description: 'Thịt dê núi ướp sả ớt, hút chân không 500 g.',
        standards: ['VIETGAHP', 'SELF_DECLARATION'],
        registered: true,
        colour: '#7c2d12',
      },
    ],
  },
  {
    name: 'Hộ kinh doanh Rượu nếp Phát Diệm',
    type: 'household_business',
    businessRegistrationNo: '27K8001234',
    address: 'Phố Phát Diệm Đông',
    communeCode: PHAT_DIEM,
    legalRepresentative: 'Trần Văn Lộc',
    legalRepresentativeGender: 'male',
    workforceTotal: 5,
    workforceLocal: 5,
    workforceTrained: 1,
    salesChannels: [{ kind: 'traditional_market' }],
    products: [
      {
        name: 'Rượu nếp cái hoa vàng Kim Sơn',
        categoryCode: '14',
        description: 'Rượu trắng nấu từ nếp cái hoa vàng, 29% vol, chai 500 ml.',
        standards: ['SELF_DECLARATION'],
        registered: true,
        colour: '#a16207',
      },
    ],
  },
  {
    name: 'Hợp tác xã Cói mỹ nghệ Kim Sơn',
    type: 'cooperative',
    taxCode: '2700300027',
    address: 'Xóm 5',
    communeCode: KIM_SON,
    legalRepresentative: 'Vũ Thị Mận',
    legalRepresentativeGender: 'female',
    workforceTotal: 120,
    workforceLocal: 118,
    workforceTrained: 40,
    salesChannels: [{ kind: 'export', detail: 'Nhật Bản, Hàn Quốc' }, { kind: 'showroom' }],
    products: [
      {
        name: 'Chiếu cói Kim Sơn dệt tay',
        categoryCode: '21',
        craftVillage: 'Làng nghề cói Kim Sơn (minh hoạ)',
        description: 'Chiếu cói dệt tay khổ 1,6 m, nhuộm màu tự nhiên.',
        registered: true,
        colour: '#4d7c0f',
      },
      {
        name: 'Giỏ cói mỹ nghệ',
        categoryCode: '21',
        craftVillage: 'Làng nghề cói Kim Sơn (minh hoạ)',
        description: 'Giỏ đan cói có quai, nhiều kích cỡ.',
        registered: false,
        colour: '#65a30d',
      },
    ],
  },
  {
    name: 'Hợp tác xã Dược liệu Cúc Phương',
    type: 'cooperative',
    taxCode: '2700400014',
    address: 'Bản Đồng Tâm',
    communeCode: CUC_PHUONG,
    legalRepresentative: 'Bùi Thị Hương',
    legalRepresentativeGender: 'female',
    workforceTotal: 18,
    workforceLocal: 18,
    workforceTrained: 5,
    salesChannels: [{ kind: 'ecommerce', detail: 'https://duoclieu.example.vn' }],
    products: [
      {
        name: 'Trà hoa cúc Cúc Phương',
        categoryCode: '12',
        description: 'Trà hoa cúc sấy lạnh, hộp 50 g.',
        standards: ['ORGANIC', 'TCCS'],
        registered: true,
        colour: '#ca8a04',
      },
    ],
  },
  {
    name: 'Hợp tác xã Nông nghiệp Hải Hậu',
    type: 'cooperative',
    taxCode: '0600500011',
    address: 'Thôn Trung',
    communeCode: HAI_HAU,
    legalRepresentative: 'Nguyễn Văn Thành',
    legalRepresentativeGender: 'male',
    workforceTotal: 60,
    workforceLocal: 60,
    workforceTrained: 20,
    salesChannels: [{ kind: 'supermarket' }, { kind: 'convenience_store' }],
    products: [
      {
        name: 'Gạo tám xoan Hải Hậu',
        categoryCode: '3',
        description: 'Gạo tám xoan thơm, túi 5 kg.',
        standards: ['VIETGAP'],
        registered: true,
        colour: '#854d0e',
      },
    ],
  },
  {
    name: 'Hợp tác xã Ngao Giao Thuỷ',
    type: 'cooperative',
    taxCode: '0600600016',
    address: 'Bãi Trong',
    communeCode: GIAO_THUY,
    legalRepresentative: 'Lê Thị Nga',
    legalRepresentativeGender: 'female',
    workforceTotal: 45,
    workforceLocal: 45,
    workforceTrained: 10,
    salesChannels: [{ kind: 'export', detail: 'Châu Âu' }],
    products: [
      {
        name: 'Ngao trắng Giao Thuỷ',
        categoryCode: '2',
        description: 'Ngao trắng tươi sống đạt chuẩn xuất khẩu.',
        standards: ['GLOBALGAP'],
        registered: false,
        colour: '#0e7490',
      },
    ],
  },
  {
    name: 'Hộ kinh doanh Bánh đa nem Duy Tiên',
    type: 'household_business',
    businessRegistrationNo: '35A8004567',
    address: 'Thôn Chều',
    communeCode: DUY_TIEN,
    legalRepresentative: 'Trần Thị Duyên',
    legalRepresentativeGender: 'female',
    workforceTotal: 7,
    workforceLocal: 7,
    workforceTrained: 2,
    salesChannels: [{ kind: 'traditional_market' }, { kind: 'showroom' }],
    products: [
      {
        name: 'Bánh đa nem làng Chều',
        categoryCode: '6',
        craftVillage: 'Làng nghề bánh đa nem Duy Tiên (minh hoạ)',
        description: 'Bánh đa nem mỏng, dai, tráng thủ công.',
        registered: true,
        colour: '#a8a29e',
      },
    ],
  },
];

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { role: 'system_admin', email: 'quantri@demo.ocop.vn', fullName: 'Quản trị hệ thống (demo)' },
  {
    role: 'province_officer',
    email: 'tinh@demo.ocop.vn',
    fullName: 'Cán bộ OCOP tỉnh Ninh Bình (demo)',
    provinceCode: DEMO_PROVINCE,
  },
  {
    role: 'commune_officer',
    email: 'xa.giavien@demo.ocop.vn',
    fullName: 'Cán bộ xã Gia Viễn (demo)',
    communeCode: GIA_VIEN,
  },
  { role: 'council_member', email: 'hoidong@demo.ocop.vn', fullName: 'Chủ tịch hội đồng (demo)' },
  { role: 'council_member', email: 'hoidong2@demo.ocop.vn', fullName: 'Thành viên hội đồng 2 (demo)' },
  { role: 'council_member', email: 'hoidong3@demo.ocop.vn', fullName: 'Thành viên hội đồng 3 (demo)' },
  {
    role: 'producer',
    email: 'chuthe@demo.ocop.vn',
    fullName: 'Phạm Thị Thu Hà (demo)',
    subjects: ['Công ty TNHH Cơm cháy Hoa Lư', 'Hợp tác xã Rau hữu cơ Gia Viễn'],
  },
];

export const DEMO_PROVINCE_OFFICER = 'tinh@demo.ocop.vn';
export const DEMO_PRODUCER = 'chuthe@demo.ocop.vn';
export const DEMO_COMMUNE_OFFICER = 'xa.giavien@demo.ocop.vn';
/** The demo council, chair first. */
export const DEMO_COUNCIL = ['hoidong@demo.ocop.vn', 'hoidong2@demo.ocop.vn', 'hoidong3@demo.ocop.vn'];
/** The product the demo takes through the open cycle to a recognition decision and a certificate. */
export const DEMO_RECOGNISED_PRODUCT = 'Dưa lưới Gia Viễn';
