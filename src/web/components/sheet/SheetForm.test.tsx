// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage } from '../../test-utils';
import { SheetForm } from './SheetForm';
import { bestAnswers, demoLeaves, demoRuleSet, demoSheet } from './testSheet';

afterEach(cleanup);

function Harness({
  initial = {},
  onAnswer,
  withRuleSet = true,
}: {
  initial?: Record<string, string>;
  onAnswer?: (code: string, option: string) => void;
  withRuleSet?: boolean;
}) {
  const [answers, setAnswers] = useState<Record<string, string>>(initial);
  const [comments, setComments] = useState<Record<string, string>>({});
  return (
    <SheetForm
      sheet={demoSheet}
      ruleSet={withRuleSet ? demoRuleSet : null}
      answers={answers}
      onAnswer={(code, option) => {
        onAnswer?.(code, option);
        setAnswers((a) => ({ ...a, [code]: option }));
      }}
      comments={comments}
      onComment={(code, text) => setComments((c) => ({ ...c, [code]: text }))}
      showComments
    />
  );
}

const summary = () => screen.getByRole('region', { name: 'Tổng điểm của phiếu' });
const criterion = (name: RegExp) => screen.getByRole('group', { name });

describe('SheetForm', () => {
  it('shows one criterion per row as a radio group; choosing an option updates the totals', async () => {
    const onAnswer = vi.fn();
    await renderPage(<Harness onAnswer={onAnswer} />);
    expect(
      screen.getByRole('heading', { level: 2, name: /A\. Sản xuất và sức mạnh cộng đồng/ }),
    ).toBeTruthy();
    const row = criterion(/A1\.1\. Nguồn nguyên liệu/);
    const radios = within(row).getAllByRole('radio');
    expect(radios).toHaveLength(4);
    expect(within(summary()).getByText('Tổng: 0/100 điểm')).toBeTruthy();
    fireEvent.click(within(row).getByRole('radio', { name: /Từ 75% nguyên liệu trong tỉnh/ }));
    expect(onAnswer).toHaveBeenCalledWith('A1.1', 'A1.1.d');
    expect((within(row).getByRole('radio', { name: /Từ 75%/ }) as HTMLInputElement).checked).toBe(true);
    expect(within(summary()).getByText('Tổng: 5/100 điểm')).toBeTruthy();
    expect(within(summary()).getByText(`Đã chấm 1/${demoLeaves.length} tiêu chí`)).toBeTruthy();
    expect(screen.getAllByText('5/40 điểm').length).toBeGreaterThan(0);
    // Sub-criteria are rows of their own under their parent.
    expect(screen.getByRole('group', { name: /A1\.4\. Bảo vệ môi trường/ })).toBeTruthy();
    expect(criterion(/A1\.4\.1\. Kế hoạch bảo vệ môi trường/)).toBeTruthy();
  });

  it('shows the star the engine gives once complete, capped by an unmet requirement', async () => {
    await renderPage(<Harness initial={{ ...bestAnswers(), 'A1.3': 'A1.3.b' }} />);
    // 97 points is in the 5★ band, and A1.3 (required for 4★ and above) is met by any option above 0.
    expect(screen.getByTestId('sheet-star').textContent).toContain('5 sao');
    expect(within(summary()).getByText('Tổng: 97/100 điểm')).toBeTruthy();
    fireEvent.click(
      within(criterion(/A1\.3\. Liên kết sản xuất/)).getByRole('radio', { name: /Không có liên kết/ }),
    );
    expect(within(summary()).getByText('Tổng: 95/100 điểm')).toBeTruthy();
    expect(screen.getByTestId('sheet-star').textContent).toContain('3 sao');
    expect(within(summary()).getByText(/Chưa đạt yêu cầu hạng sao: A1\.3 \(cho 4 sao\)/)).toBeTruthy();
    expect(screen.getAllByText('Bắt buộc cho 4 sao trở lên').length).toBeGreaterThan(0);
    fireEvent.click(
      within(criterion(/A1\.3\. Liên kết sản xuất/)).getByRole('radio', { name: /Liên kết chuỗi/ }),
    );
    expect(screen.getByTestId('sheet-star').textContent).toContain('5 sao');
    expect(within(summary()).getByText('Tổng: 100/100 điểm')).toBeTruthy();
  });

  it('is keyboard reachable, opens guidance and takes a comment per criterion', async () => {
    await renderPage(<Harness />);
    const row = criterion(/A1\.3\. Liên kết sản xuất/);
    const toggle = screen.getAllByRole('button', { name: 'Xem hướng dẫn chấm' })[0]!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const radio = within(row).getAllByRole('radio')[1]!;
    radio.focus();
    expect(document.activeElement).toBe(radio);
    fireEvent.click(screen.getAllByRole('button', { name: 'Thêm nhận xét' })[0]!);
    const box = screen.getByRole('textbox', { name: 'Nhận xét tiêu chí A1.1 (không bắt buộc)' });
    fireEvent.change(box, { target: { value: 'Có chứng nhận VietGAP' } });
    expect((box as HTMLTextAreaElement).value).toBe('Có chứng nhận VietGAP');
  });

  it('read-only: choices disabled, comments shown as text, the fallback star without a rule-set', async () => {
    const onAnswer = vi.fn();
    await renderPage(
      <SheetForm
        sheet={demoSheet}
        answers={bestAnswers()}
        onAnswer={onAnswer}
        readOnly
        comments={{ 'A1.1': 'Nguồn nguyên liệu ổn định' }}
        showComments
        fallbackStar={5}
      />,
    );
    const radios = screen.getAllByRole('radio') as HTMLInputElement[];
    expect(radios.every((r) => r.disabled)).toBe(true);
    fireEvent.click(radios[0]!);
    expect(onAnswer).not.toHaveBeenCalled();
    expect(screen.getByText('Nguồn nguyên liệu ổn định')).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByTestId('sheet-star').textContent).toContain('5 sao');
    expect(within(summary()).getByText('Tổng: 100/100 điểm')).toBeTruthy();
  });

  it('marks the criteria an API refusal names', async () => {
    await renderPage(
      <SheetForm
        sheet={demoSheet}
        answers={{}}
        errors={{ 'B1.1': 'Chưa chấm tiêu chí "Khu vực phân phối".' }}
      />,
    );
    const row = criterion(/B1\.1\. Khu vực phân phối/);
    expect(row.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText('Chưa chấm tiêu chí "Khu vực phân phối".')).toBeTruthy();
  });
});
