/**
 * Realistic Vietnamese name parts for the benchmark dataset. Products are keyed by the product
 * set ("bộ sản phẩm", 1–26) of the 2026 classification so the generator can give each a real
 * category; weights follow the national mix (about 80% food).
 */
export type ProductBase = { name: string; set: number };

export const PRODUCT_BASES: readonly ProductBase[] = [
  // 1 Rau, củ, quả, hạt tươi
  ...['Bưởi Diễn', 'Cam sành', 'Vải thiều', 'Nhãn lồng', 'Xoài cát Hòa Lộc', 'Dưa lưới', 'Khoai lang mật']
    .concat(['Chuối ngự', 'Na dai', 'Hồng không hạt', 'Măng tây', 'Bơ sáp'])
    .map((name) => ({ name, set: 1 })),
  // 2 Thịt, thủy sản, trứng, sữa tươi
  ...['Trứng gà ác', 'Tôm càng xanh', 'Cá lăng', 'Sữa bò tươi', 'Gà đồi', 'Cua đồng'].map((name) => ({
    name,
    set: 2,
  })),
  // 3 Gạo, ngũ cốc, hạt sơ chế
  ...['Gạo ST25', 'Gạo nếp cái hoa vàng', 'Gạo Séng Cù', 'Gạo tám thơm', 'Đậu tương', 'Lạc đỏ'].map(
    (name) => ({ name, set: 3 }),
  ),
  // 4 Mật ong, nông sản thực phẩm khác
  ...['Mật ong bạc hà', 'Mật ong hoa nhãn', 'Mật ong rừng', 'Tinh bột nghệ', 'Tinh bột sắn dây'].map(
    (name) => ({ name, set: 4 }),
  ),
  // 5 Đồ ăn nhanh
  ...['Cơm cháy chà bông', 'Nem chua', 'Bánh chưng', 'Giò lụa', 'Chả mực', 'Bánh đa nem'].map((name) => ({
    name,
    set: 5,
  })),
  // 6 Chế biến từ gạo, ngũ cốc
  ...[
    'Miến dong',
    'Bánh đa',
    'Phở khô',
    'Bún khô',
    'Bánh gai',
    'Bánh cáy',
    'Cốm làng Vòng',
    'Bánh tráng',
  ].map((name) => ({ name, set: 6 })),
  // 7 Chế biến từ rau, củ, quả, hạt
  ...[
    'Mứt gừng',
    'Ô mai mơ',
    'Chuối sấy dẻo',
    'Long nhãn sấy',
    'Dưa cải muối',
    'Hồng treo gió',
    'Hạt điều rang',
  ].map((name) => ({ name, set: 7 })),
  // 8 Chế biến từ thịt, thủy sản, trứng, sữa, mật ong
  ...[
    'Mắm tép',
    'Ruốc tôm',
    'Chả cá',
    'Thịt trâu gác bếp',
    'Cá kho làng Vũ Đại',
    'Mắm tôm chua',
    'Khô cá lóc',
  ]
    .concat(['Lạp xưởng', 'Tôm chua'])
    .map((name) => ({ name, set: 8 })),
  // 9 Tương, nước mắm, gia vị dạng lỏng
  ...['Nước mắm cá cơm', 'Nước mắm truyền thống', 'Tương Bần', 'Tương ớt', 'Nước mắm nhĩ'].map((name) => ({
    name,
    set: 9,
  })),
  // 10 Gia vị khác
  ...['Muối tôm', 'Hạt tiêu', 'Quế Văn Yên', 'Hoa hồi', 'Sa tế', 'Muối ớt xanh'].map((name) => ({
    name,
    set: 10,
  })),
  // 11 Chè tươi, chè chế biến
  ...['Chè Tân Cương', 'Chè Shan tuyết', 'Chè búp', 'Trà Thái Nguyên', 'Chè móc câu'].map((name) => ({
    name,
    set: 11,
  })),
  // 12 Trà từ thực vật khác
  ...['Trà hoa vàng', 'Trà atiso', 'Trà dây', 'Trà mướp đắng', 'Trà sen', 'Trà hoa cúc'].map((name) => ({
    name,
    set: 12,
  })),
  // 13 Cà phê, cacao
  ...['Cà phê Robusta', 'Cà phê Arabica', 'Cacao nguyên chất', 'Cà phê rang xay'].map((name) => ({
    name,
    set: 13,
  })),
  // 14 Rượu trắng
  ...['Rượu Bàu Đá', 'Rượu làng Vân', 'Rượu ngô men lá', 'Rượu nếp cái hoa vàng', 'Rượu Kim Sơn'].map(
    (name) => ({ name, set: 14 }),
  ),
  // 15 Đồ uống có cồn khác
  ...['Rượu vang sim', 'Rượu mơ', 'Rượu chuối hột'].map((name) => ({ name, set: 15 })),
  // 16 Nước khoáng, nước uống đóng chai
  ...['Nước khoáng thiên nhiên', 'Nước uống đóng chai'].map((name) => ({ name, set: 16 })),
  // 17 Đồ uống không cồn khác
  ...['Nước cốt gừng', 'Nước ép dứa', 'Sữa đậu nành', 'Nước cốt chanh leo'].map((name) => ({
    name,
    set: 17,
  })),
  // 18 Thực phẩm chức năng, thuốc dược liệu
  ...['Cao atiso', 'Cao ích mẫu', 'Viên tinh nghệ mật ong', 'Đông trùng hạ thảo'].map((name) => ({
    name,
    set: 18,
  })),
  // 19 Mỹ phẩm từ dược liệu
  ...['Dầu gội bồ kết', 'Xà phòng thảo dược', 'Son dưỡng sáp ong'].map((name) => ({ name, set: 19 })),
  // 20 Tinh dầu và dược liệu khác
  ...['Tinh dầu tràm', 'Tinh dầu sả chanh', 'Tinh dầu quế', 'Sâm Ngọc Linh'].map((name) => ({
    name,
    set: 20,
  })),
  // 21 Thủ công mỹ nghệ
  ...['Gốm Bát Tràng', 'Mây tre đan', 'Nón lá', 'Chiếu cói', 'Đồ gỗ mỹ nghệ', 'Tranh thêu tay'].map(
    (name) => ({
      name,
      set: 21,
    }),
  ),
  // 22 Vải, may mặc
  ...['Thổ cẩm', 'Lụa tơ tằm', 'Khăn lụa'].map((name) => ({ name, set: 22 })),
  // 23–25 Sinh vật cảnh
  ...['Hoa lan hồ điệp', 'Hoa đào', 'Hoa cúc'].map((name) => ({ name, set: 23 })),
  ...['Bonsai', 'Cây mai vàng'].map((name) => ({ name, set: 24 })),
  ...['Cá Koi', 'Chim chào mào'].map((name) => ({ name, set: 25 })),
  // 26 Du lịch
  ...['Du lịch cộng đồng', 'Điểm du lịch sinh thái', 'Homestay'].map((name) => ({ name, set: 26 })),
];

/** Roughly the national mix: food dominates, tourism and ornamentals are rare. */
export function productSetWeight(set: number): number {
  if (set <= 13) return 6;
  if (set <= 17) return 2;
  if (set <= 22) return 1.5;
  return 0.5;
}

export const PRODUCT_QUALIFIERS = [
  'loại đặc biệt',
  'hữu cơ',
  'truyền thống',
  'túi 500g',
  'hộp quà',
  'đóng chai 500ml',
  'sấy lạnh',
  'nguyên chất',
];

export const BRANDS = [
  'Xuân Thành',
  'Hương Quê',
  'Bà Tư',
  'Minh Phát',
  'Làng Nghề',
  'Tâm An',
  'Hồng Đức',
  'Sơn Hà',
  'Phúc Lộc',
  'Đồng Xanh',
  'Quê Nhà',
  'Thiên Ân',
  'Mộc Châu',
  'Tây Bắc',
  'Gia Bảo',
];

export const FAMILY_NAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
export const MALE_MIDDLE = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công'];
export const FEMALE_MIDDLE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim'];
export const MALE_GIVEN = ['Hùng', 'Dũng', 'Thắng', 'Nam', 'Long', 'Tuấn', 'Sơn', 'Phong', 'Đạt', 'Khoa'];
export const FEMALE_GIVEN = ['Lan', 'Hoa', 'Hương', 'Mai', 'Thảo', 'Hạnh', 'Nga', 'Yến', 'Trang', 'Linh'];

export const COOPERATIVE_FIELDS = [
  'Nông nghiệp',
  'Dịch vụ nông nghiệp',
  'Chế biến nông sản',
  'Nông nghiệp công nghệ cao',
  'Thủy sản',
  'Dược liệu',
];
