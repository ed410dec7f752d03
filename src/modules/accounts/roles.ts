/** Roles of the platform. Scope (province, commune, subjects) lives on the user, not in the role name. */
export const ROLES = [
  'system_admin',
  'province_officer',
  'commune_officer',
  'council_member',
  'producer',
] as const;
export type Role = (typeof ROLES)[number];

export const roleLabels: Record<Role, { vi: string; en: string }> = {
  system_admin: { vi: 'Quản trị hệ thống', en: 'System administrator' },
  province_officer: { vi: 'Cán bộ cấp tỉnh', en: 'Province officer' },
  commune_officer: { vi: 'Cán bộ cấp xã', en: 'Commune officer' },
  council_member: { vi: 'Thành viên hội đồng', en: 'Council member' },
  producer: { vi: 'Chủ thể sản xuất', en: 'Producer' },
};
