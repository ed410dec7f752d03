import type { RequestContext } from '../../server/context';
import type { Message } from '../../server/errors';

export type Ctx = { ctx: RequestContext };

export const cycleMessages = {
  provinceUnknown: { vi: 'Không có tỉnh với mã này.', en: 'No province has this code.' },
  provinceRequired: {
    vi: 'Cần chọn tỉnh của kỳ đánh giá.',
    en: 'Choose the province of the cycle.',
  },
  otherProvince: {
    vi: 'Cán bộ cấp tỉnh chỉ mở kỳ đánh giá của tỉnh mình; kỳ cấp trung ương do quản trị hệ thống mở.',
    en: 'A province officer opens cycles of their own province only; central cycles are opened by a system administrator.',
  },
  noActiveRuleSet: {
    vi: 'Bộ tiêu chí này chưa có phiên bản đang áp dụng; quản trị hệ thống cần đặt tham số và kích hoạt trước.',
    en: 'This rule-set has no active revision; an administrator must set its parameters and activate it first.',
  },
  roundTaken: {
    vi: 'Đã có kỳ đánh giá của tỉnh ở cấp, năm và đợt này.',
    en: 'The province already has a cycle at this level, year and round.',
  },
} satisfies Record<string, Message>;

export const dossierMessages = {
  productUnknown: {
    vi: 'Không có sản phẩm này trong các sản phẩm của bạn.',
    en: 'No such product among yours.',
  },
  productArchived: {
    vi: 'Sản phẩm đã lưu trữ; hãy khôi phục trước khi đăng ký đánh giá.',
    en: 'The product is archived; restore it before applying.',
  },
  otherProvince: {
    vi: 'Chủ thể của sản phẩm không thuộc tỉnh tổ chức kỳ đánh giá này.',
    en: "The product's subject is not in this cycle's province.",
  },
  central: {
    vi: 'Kỳ đánh giá cấp trung ương nhận hồ sơ do cấp tỉnh đề nghị, chủ thể không nộp trực tiếp.',
    en: 'A central cycle receives dossiers forwarded by provinces; producers do not apply to it directly.',
  },
  duplicate: {
    vi: 'Sản phẩm này đã có hồ sơ trong kỳ đánh giá.',
    en: 'This product already has a dossier in the cycle.',
  },
  notEditable: {
    vi: 'Chỉ sửa được hồ sơ ở trạng thái nháp hoặc đã trả lại để bổ sung.',
    en: 'Only a draft or returned dossier can be changed.',
  },
  notOwner: {
    vi: 'Chỉ chủ thể sở hữu sản phẩm mới sửa được hồ sơ.',
    en: 'Only the producer owning the product can change the dossier.',
  },
  formMissing: {
    vi: 'Chưa khai phiếu đăng ký sản phẩm (Mẫu 01).',
    en: 'The registration form (Form 01) is not filled in.',
  },
  selfAssessmentIncomplete: {
    vi: 'Phiếu tự đánh giá (Mẫu 02) chưa chấm đủ các tiêu chí.',
    en: 'The self-assessment (Form 02) does not answer every criterion.',
  },
  incomplete: {
    vi: 'Hồ sơ chưa đủ để nộp; xem các mục còn thiếu.',
    en: 'The dossier is not complete enough to submit; see what is missing.',
  },
  pastDeadline: {
    vi: 'Đã quá hạn nộp hồ sơ của kỳ đánh giá.',
    en: "The cycle's submission deadline has passed.",
  },
  councilUnknown: {
    vi: 'Không có hội đồng này trong kỳ đánh giá.',
    en: 'No such council in this cycle.',
  },
  councilWithoutChair: {
    vi: 'Hội đồng chưa có chủ tịch; hãy bổ sung trước khi giao hồ sơ.',
    en: 'The council has no chair yet; add one before assigning dossiers.',
  },
  cannotPropose: {
    vi: 'Kết quả chấm không hợp lệ (chưa đủ số phiếu tối thiểu); chủ tịch hội đồng cần mở lại chấm điểm.',
    en: 'The result is not valid (too few member sheets); the chair must reopen scoring.',
  },
} satisfies Record<string, Message>;

export const noSheetMessage = (ruleSetCode: string, productSet: string): Message => ({
  vi: `Chưa có phiếu chấm đang áp dụng cho bộ sản phẩm "${productSet}" theo bộ tiêu chí "${ruleSetCode}"; quản trị hệ thống cần kích hoạt phiếu trước.`,
  en: `There is no active scoring sheet for product set "${productSet}" under rule-set "${ruleSetCode}"; an administrator must activate one first.`,
});
