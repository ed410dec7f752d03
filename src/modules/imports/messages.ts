import { encodingHelp } from '../../server/csv';
import type { Message } from '../../server/errors';
import { fileMessages } from './parse';
import type { ImportField, Problem } from './rules';

/** The words of a row report, in both languages: "<field>: <what is wrong>". */
const FIELD_LABELS: Record<ImportField | 'row', Message> = {
  productName: { vi: 'Tên sản phẩm', en: 'Product name' },
  subjectName: { vi: 'Chủ thể', en: 'Subject' },
  subjectType: { vi: 'Loại hình chủ thể', en: 'Subject type' },
  category: { vi: 'Nhóm / bộ sản phẩm', en: 'Group or product set' },
  star: { vi: 'Hạng sao', en: 'Star rating' },
  certificateNumber: { vi: 'Số giấy chứng nhận', en: 'Certificate number' },
  decisionNumber: { vi: 'Số quyết định', en: 'Decision number' },
  decisionDate: { vi: 'Ngày quyết định', en: 'Decision date' },
  validTo: { vi: 'Ngày hết hạn', en: 'Expiry date' },
  issuer: { vi: 'Cơ quan cấp', en: 'Issuing authority' },
  address: { vi: 'Địa chỉ', en: 'Address' },
  commune: { vi: 'Xã / phường', en: 'Commune' },
  district: { vi: 'Huyện (cũ)', en: 'District (former)' },
  province: { vi: 'Tỉnh', en: 'Province' },
  currentCommune: { vi: 'Xã / phường hiện nay', en: 'Current commune' },
  taxCode: { vi: 'Mã số thuế', en: 'Tax code' },
  legalRepresentative: { vi: 'Người đại diện', en: 'Legal representative' },
  row: { vi: 'Dòng', en: 'Row' },
};

const CODES: Record<string, Message> = {
  missing: { vi: 'còn trống', en: 'is empty' },
  unreadable: { vi: 'không đọc được', en: 'cannot be read' },
  notCertified: {
    vi: 'chỉ sản phẩm 3 sao trở lên được công nhận',
    en: 'only products of 3 stars or more are certified',
  },
  beforeDecision: { vi: 'trước ngày quyết định', en: 'is before the decision date' },
  levelUnknown: {
    vi: 'không rõ cấp (huyện, tỉnh, trung ương)',
    en: 'level unknown (district, province, central)',
  },
  unknown: { vi: 'không có trong danh mục', en: 'is not in the list' },
  inFuture: { vi: 'sau ngày hôm nay', en: 'is after today' },
  levelNotInRuleSet: {
    vi: 'cấp này không công nhận theo bộ tiêu chí thời đó',
    en: 'this level did not recognise products under the rules of the time',
  },
  starNotCertifiedByLevel: {
    vi: 'cấp này không công nhận hạng sao đó theo bộ tiêu chí thời đó',
    en: 'this level did not certify that star rating under the rules of the time',
  },
  otherProvince: { vi: 'thuộc tỉnh khác', en: 'is in another province' },
  unknownCommune: {
    vi: 'không tìm thấy xã; cần người chọn xã hiện nay',
    en: 'commune not found; a person must choose the current commune',
  },
  severalCommunes: {
    vi: 'địa chỉ cũ nay thuộc nhiều xã; cần người chọn',
    en: 'the old address now lies in several communes; a person must choose',
  },
  decided: { vi: 'xã đã được người chọn', en: 'commune chosen by a person' },
  invalidDropped: { vi: 'không hợp lệ, không được nhập', en: 'is not valid and is not imported' },
  duplicate: { vi: 'trùng một dòng phía trên, bỏ qua', en: 'repeats a row above; skipped' },
  conflictingDuplicate: {
    vi: 'cùng số quyết định và sản phẩm với một dòng phía trên nhưng khác nội dung',
    en: 'same decision and product as a row above but different content',
  },
  enterpriseRequired: { vi: 'doanh nghiệp phải có mã số thuế', en: 'an enterprise needs its tax code' },
  personalIdType: {
    vi: 'số định danh cá nhân chỉ dùng cho hộ kinh doanh, trang trại',
    en: 'a personal ID number serves only household businesses and farms',
  },
  taken: { vi: 'đã thuộc về một giấy chứng nhận khác', en: 'already belongs to another certificate' },
  yearOnly: {
    vi: 'sổ chỉ ghi năm; ngày quyết định chưa rõ — cần ngày trên quyết định',
    en: 'the registry gives only the year; the date is unknown — needs the decision date',
  },
  oldSector: {
    vi: 'tên nhóm theo quy định cũ; đã đối chiếu sang bộ sản phẩm hiện nay',
    en: 'a group name of earlier rules; matched to the current product sets',
  },
  incompleteDecisionDate: {
    vi: 'sổ chỉ ghi năm công nhận; sẽ nhập, chưa đủ: không rõ hiệu lực — cần ngày quyết định',
    en: 'the registry gives only the recognition year; will be imported, incomplete: validity unknown — needs the decision date',
  },
  incompleteTaxCode: {
    vi: 'sổ không ghi mã số thuế của doanh nghiệp; sẽ nhập, chưa đủ: cần bổ sung mã số thuế',
    en: 'the registry gives no tax code for the enterprise; will be imported, incomplete: needs the tax code',
  },
  incompleteDecisionNumber: {
    vi: 'sổ không ghi; hồ sơ được đánh dấu chưa đủ ("chưa có số quyết định")',
    en: 'not in the registry; the record is marked incomplete ("no decision number yet")',
  },
  typeMismatch: {
    vi: 'loại đơn vị khác với danh mục (xã / thị trấn / phường); hãy kiểm tra',
    en: 'the unit type differs from the official list (commune / township / ward); check it',
  },
  currentCommuneConflict: {
    vi: 'xã hiện nay ghi trong sổ khác với bảng chuyển đổi chính thức; cần người chọn',
    en: 'the current commune in the registry differs from the official conversion; a person must choose',
  },
  toneVariant: {
    vi: 'tên xã viết dấu thanh khác cách (ví dụ Thuỷ/Thủy); coi là cùng một tên',
    en: 'the commune is written with tone marks placed differently (e.g. Thuỷ/Thủy); taken as the same name',
  },
  placeholder: {
    vi: 'sổ không ghi; lưu là "Chưa có thông tin"',
    en: 'not in the registry; stored as "Chưa có thông tin"',
  },
};

export function problemMessage(problem: Problem): Message {
  const field = FIELD_LABELS[problem.field];
  const code = CODES[problem.code] ?? { vi: problem.code, en: problem.code };
  return { vi: `${field.vi}: ${code.vi}`, en: `${field.en}: ${code.en}` };
}

export const importMessages = {
  notFound: { vi: 'Không tìm thấy lượt nhập.', en: 'Import not found.' },
  inflatesTooMuch: {
    vi: 'Tệp Excel khi giải nén quá lớn (hơn 200 MB); hãy chia sổ đăng ký thành nhiều tệp.',
    en: 'The Excel file unpacks to more than 200 MB; split the registry into several files.',
  },
  notSpreadsheet: {
    vi: 'Tệp không phải bảng tính Excel (.xlsx) hoặc CSV (UTF-8).',
    en: 'The file is not an Excel (.xlsx) or CSV (UTF-8) spreadsheet.',
  },
  // How to save as .xlsx in Excel and LibreOffice, and as "CSV UTF-8": said where files are read.
  xls: fileMessages.xls,
  encoding: encodingHelp,
  sheetUnknown: {
    vi: 'Tệp không có trang tính này; hãy chọn một trang trong danh sách.',
    en: 'The workbook has no sheet of this name; choose one from the list.',
  },
  noHeader: {
    vi: 'Không tìm thấy dòng tiêu đề (tên sản phẩm, chủ thể, hạng sao…) trong 15 dòng đầu.',
    en: 'No header row (product name, subject, stars…) in the first 15 rows.',
  },
  tooManyRows: {
    vi: 'Tệp có quá nhiều dòng; hãy chia nhỏ (tối đa 20.000 dòng).',
    en: 'Too many rows; split the file (at most 20,000 rows).',
  },
  missingFile: { vi: 'Chưa chọn tệp.', en: 'No file chosen.' },
  fileTooLarge: {
    vi: 'Tệp vượt quá dung lượng cho phép; hãy chia sổ đăng ký thành nhiều tệp.',
    en: 'The file is larger than allowed; split the registry into several files.',
  },
  uploadMalformed: { vi: 'Không đọc được tệp gửi lên.', en: 'The uploaded file could not be read.' },
  provinceRequired: { vi: 'Cần chọn tỉnh của sổ đăng ký.', en: 'Choose the province of the registry.' },
  provinceUnknown: { vi: 'Không có tỉnh với mã này.', en: 'No province has this code.' },
  columnOutside: { vi: 'Cột không có trong tiêu đề.', en: 'This column is not in the header.' },
  columnTwice: { vi: 'Một cột chỉ gán cho một trường.', en: 'A column serves one field only.' },
  fieldRequired: { vi: 'Cần chọn cột cho trường này.', en: 'Choose the column of this field.' },
  committed: { vi: 'Lượt nhập này đã được ghi.', en: 'This import is already committed.' },
  notChecked: {
    vi: 'Hãy chạy thử (kiểm tra) sau lần đổi cột cuối cùng trước khi ghi.',
    en: 'Run the dry run after the last mapping change before committing.',
  },
  undecided: {
    vi: 'Còn giá trị cần người quyết định (bộ sản phẩm, hạng sao, xã); hãy quyết định trước khi ghi.',
    en: 'Some values need a person to decide (product set, stars, commune); decide before committing.',
  },
  rowsWithErrors: {
    vi: 'Còn dòng có lỗi; hãy sửa tệp hoặc chọn bỏ qua các dòng lỗi.',
    en: 'Some rows have errors; fix the file or choose to skip them.',
  },
  notFlagged: { vi: 'Dòng này không cần chọn xã.', en: 'This row needs no commune choice.' },
  notCandidate: {
    vi: 'Giá trị này không nằm trong các lựa chọn (với địa chỉ cũ: các xã mà nó đã nhập vào).',
    en: 'This value is not among the choices (for an old address: the communes it went into).',
  },
  communeOutside: {
    vi: 'Xã này không thuộc tỉnh của lượt nhập.',
    en: "This commune is not in the import's province.",
  },
  rowNotFound: { vi: 'Không có dòng này trong báo cáo.', en: 'No such row in the report.' },
  questionNotFound: {
    vi: 'Không có giá trị này trong lần chạy thử cuối; hãy chạy thử lại.',
    en: 'No such value in the last dry run; run it again.',
  },
  notDecidable: {
    vi: 'Giá trị này không chọn được: cần sửa trong sổ (ví dụ ngày quyết định chỉ có năm).',
    en: 'This value cannot be chosen: it must be corrected in the registry (e.g. a decision date with only its year).',
  },
  unknownSet: { vi: 'Không có bộ sản phẩm này.', en: 'No such product set.' },
  starOutOfRange: { vi: 'Hạng sao phải là 3, 4 hoặc 5.', en: 'The star rating must be 3, 4 or 5.' },
  committing: {
    vi: 'Lượt nhập này đang được ghi; hãy chờ xong.',
    en: 'This import is being committed; wait until it ends.',
  },
  interrupted: {
    vi: 'Việc ghi bị gián đoạn (máy chủ dừng giữa chừng); không có dữ liệu nào được ghi. Có thể ghi lại.',
    en: 'The commit was interrupted (the server stopped); nothing was written. It can be committed again.',
  },
} satisfies Record<string, Message>;

/** What the registry upload says when its file is missing, too large or unreadable. */
export const uploadMessages = {
  missing: importMessages.missingFile,
  tooLarge: importMessages.fileTooLarge,
  malformed: importMessages.uploadMalformed,
};
