import { Badge, Button, Collapse, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  Answers,
  Criterion,
  Localized,
  RuleSet,
  Sheet,
  SheetGroup,
  SheetPart,
} from '../../../modules/criteria/documents';
import { formatNumber } from '../../format';
import { useLanguage } from '../../i18n';
import { type SheetOutlook, sheetOutlook } from './sheetModel';
import './sheet.css';

/** The sheet's own texts are `{ vi, en? }`: English when asked for and present, Vietnamese otherwise. */
export function pickText(text: Localized | undefined, language: 'vi' | 'en'): string {
  if (!text) return '';
  return language === 'en' && text.en ? text.en : text.vi;
}

type TitleOrder = 2 | 3 | 4 | 5 | 6;
const deeper = (order: TitleOrder): TitleOrder => Math.min(order + 1, 6) as TitleOrder;

export type SheetFormProps = {
  sheet: Sheet;
  /** The chosen option code per leaf criterion code. */
  answers: Answers;
  /** Called when an option is chosen; without it (or with `readOnly`) the sheet is read-only. */
  onAnswer?: (criterionCode: string, optionCode: string) => void;
  readOnly?: boolean;
  /** Comments per criterion code; shown when `showComments`, editable with `onComment`. */
  comments?: Readonly<Record<string, string>>;
  onComment?: (criterionCode: string, text: string) => void;
  showComments?: boolean;
  /** The frozen rule-set, for the star the engine gives; without it `fallbackStar` is shown. */
  ruleSet?: RuleSet | null;
  /** The star known otherwise (e.g. the server's last computation) when the rule-set is not at hand. */
  fallbackStar?: number | null;
  /** Messages per criterion code (the API's refusal, what is missing). */
  errors?: Readonly<Record<string, string>>;
  /** Shown in the sticky totals bar, e.g. the autosave status. */
  status?: ReactNode;
  /** Heading level of the parts (the page's h1 is above them). */
  headingOrder?: TitleOrder;
  /** Distinguishes the radio groups of two sheets on one page. */
  idPrefix?: string;
};

/**
 * A scoring sheet: parts → groups → criteria → sub-criteria → options, one criterion per row, the
 * options as large radio choices, guidance on demand, star requirements marked, an optional comment
 * per criterion, and a sticky bar with the running part totals, the total and the star.
 */
export function SheetForm(props: SheetFormProps) {
  const { sheet, answers, ruleSet, fallbackStar = null } = props;
  const language = useLanguage();
  const generated = useId();
  const prefix = props.idPrefix ?? generated;
  const outlook = useMemo(() => sheetOutlook(sheet, answers, ruleSet), [sheet, answers, ruleSet]);
  const order = props.headingOrder ?? 2;
  return (
    <Stack gap="lg">
      {sheet.guidance && (
        <Text size="sm" c="dimmed">
          {pickText(sheet.guidance, language)}
        </Text>
      )}
      {sheet.parts.map((part) => (
        <PartSection
          key={part.code}
          part={part}
          outlook={outlook}
          form={props}
          prefix={prefix}
          order={order}
        />
      ))}
      <SheetSummary sheet={sheet} outlook={outlook} fallbackStar={fallbackStar} status={props.status} />
    </Stack>
  );
}

function PartSection({
  part,
  outlook,
  form,
  prefix,
  order,
}: {
  part: SheetPart;
  outlook: SheetOutlook;
  form: SheetFormProps;
  prefix: string;
  order: TitleOrder;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const headingId = `${prefix}-part-${part.code}`;
  return (
    <section aria-labelledby={headingId}>
      <Group justify="space-between" align="baseline" gap="xs" mb="sm">
        <Title order={order} id={headingId} size="h3">
          {part.code}. {pickText(part.name, language)}
        </Title>
        <Badge variant="light" size="lg" style={{ textTransform: 'none' }}>
          {t('scoring.sheet.partPoints', {
            points: formatNumber(outlook.parts[part.code] ?? 0, language),
            max: formatNumber(part.maxPoints, language),
          })}
        </Badge>
      </Group>
      {part.guidance && (
        <Text size="sm" c="dimmed" mb="sm">
          {pickText(part.guidance, language)}
        </Text>
      )}
      <Stack gap="md">
        {part.groups.map((group) => (
          <GroupBlock key={group.code} group={group} form={form} prefix={prefix} order={deeper(order)} />
        ))}
      </Stack>
    </section>
  );
}

function GroupBlock({
  group,
  form,
  prefix,
  order,
}: {
  group: SheetGroup;
  form: SheetFormProps;
  prefix: string;
  order: TitleOrder;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="baseline" gap="xs">
        <Title order={order} size="h4">
          {group.code}. {pickText(group.name, language)}
        </Title>
        {group.maxPoints !== undefined && (
          <Text size="sm" c="dimmed">
            {t('scoring.sheet.maxPoints', { max: formatNumber(group.maxPoints, language) })}
          </Text>
        )}
      </Group>
      {group.guidance && (
        <Text size="sm" c="dimmed">
          {pickText(group.guidance, language)}
        </Text>
      )}
      {group.criteria.map((criterion) => (
        <CriterionBlock key={criterion.code} criterion={criterion} form={form} prefix={prefix} depth={0} />
      ))}
    </Stack>
  );
}

function RequirementMark({ star }: { star: number }) {
  const { t } = useTranslation();
  return (
    <Badge color="orange" variant="light" style={{ textTransform: 'none' }}>
      {t('scoring.sheet.requiredForStar', { star })}
    </Badge>
  );
}

function CriterionBlock({
  criterion,
  form,
  prefix,
  depth,
}: {
  criterion: Criterion;
  form: SheetFormProps;
  prefix: string;
  depth: number;
}) {
  const language = useLanguage();
  if (criterion.criteria?.length) {
    // A parent criterion: its name, then one row per sub-criterion.
    const id = `${prefix}-c-${criterion.code}`;
    return (
      <Stack gap="sm" role="group" aria-labelledby={id} pl={depth ? 'md' : 0}>
        <Group gap="xs">
          <Text fw={700} id={id}>
            {criterion.code}. {pickText(criterion.name, language)}
          </Text>
          {criterion.requiredForStar && <RequirementMark star={criterion.requiredForStar} />}
        </Group>
        {criterion.guidance && (
          <Text size="sm" c="dimmed">
            {pickText(criterion.guidance, language)}
          </Text>
        )}
        <Stack gap="sm" pl="md" style={{ borderLeft: '3px solid var(--mantine-color-gray-3)' }}>
          {criterion.criteria.map((child) => (
            <CriterionBlock
              key={child.code}
              criterion={child}
              form={form}
              prefix={prefix}
              depth={depth + 1}
            />
          ))}
        </Stack>
      </Stack>
    );
  }
  return <CriterionRow criterion={criterion} form={form} prefix={prefix} />;
}

function CriterionRow({
  criterion,
  form,
  prefix,
}: {
  criterion: Criterion;
  form: SheetFormProps;
  prefix: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [guidanceOpen, setGuidanceOpen] = useState(false);
  const comment = form.comments?.[criterion.code] ?? '';
  const [commentOpen, setCommentOpen] = useState(false);
  const readOnly = form.readOnly || !form.onAnswer;
  const chosen = form.answers[criterion.code];
  const error = form.errors?.[criterion.code];
  const base = `${prefix}-${criterion.code}`;
  const options = criterion.options ?? [];
  const optionGuidance = options.filter((o) => o.guidance);
  const hasGuidance = Boolean(criterion.guidance || criterion.note || optionGuidance.length);
  const best = options.length ? Math.max(...options.map((o) => o.points)) : 0;
  const chosenOption = options.find((o) => o.code === chosen);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      className="ocop-sheet-row"
      data-error={error ? true : undefined}
      id={`criterion-${base}`}
    >
      <fieldset
        className="ocop-sheet-fieldset"
        disabled={readOnly}
        aria-describedby={error ? `${base}-error` : undefined}
      >
        <legend className="ocop-sheet-legend">
          <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
            <Text fw={700} component="span" miw={0}>
              {criterion.code}. {pickText(criterion.name, language)}
            </Text>
            <Text size="sm" c="dimmed" component="span" style={{ whiteSpace: 'nowrap' }}>
              {chosenOption
                ? t('scoring.sheet.pointsOf', {
                    points: formatNumber(chosenOption.points, language),
                    max: formatNumber(best, language),
                  })
                : t('scoring.sheet.notAnswered', { max: formatNumber(best, language) })}
            </Text>
          </Group>
        </legend>
        {criterion.requiredForStar && (
          <Group gap="xs" mb="xs">
            <RequirementMark star={criterion.requiredForStar} />
          </Group>
        )}
        <div className="ocop-sheet-options">
          {options.map((option) => {
            const checked = chosen === option.code;
            return (
              <label
                key={option.code}
                className="ocop-sheet-option"
                data-checked={checked ? true : undefined}
                data-disabled={readOnly ? true : undefined}
              >
                <input
                  type="radio"
                  name={base}
                  value={option.code}
                  checked={checked}
                  disabled={readOnly}
                  onChange={() => {
                    if (!readOnly) form.onAnswer?.(criterion.code, option.code);
                  }}
                />
                <span className="ocop-sheet-option-body">
                  <span>{pickText(option.text, language)}</span>
                  <span className="ocop-sheet-option-points">
                    {t('scoring.sheet.points', { points: formatNumber(option.points, language) })}
                    {checked && readOnly ? ` · ${t('scoring.sheet.chosen')}` : ''}
                  </span>
                  {option.requiredForStar && (
                    <span>
                      <RequirementMark star={option.requiredForStar} />
                    </span>
                  )}
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>
      {error && (
        <Text size="sm" c="red.7" mt="xs" id={`${base}-error`}>
          {error}
        </Text>
      )}
      <Group gap="xs" mt="xs">
        {hasGuidance && (
          <Button
            variant="subtle"
            size="sm"
            mih={44}
            onClick={() => setGuidanceOpen((o) => !o)}
            aria-expanded={guidanceOpen}
            aria-controls={`${base}-guidance`}
          >
            {guidanceOpen ? t('scoring.sheet.hideGuidance') : t('scoring.sheet.showGuidance')}
          </Button>
        )}
        {form.showComments && form.onComment && !readOnly && !comment && !commentOpen && (
          <Button variant="subtle" size="sm" mih={44} onClick={() => setCommentOpen(true)}>
            {t('scoring.sheet.addComment')}
          </Button>
        )}
      </Group>
      {hasGuidance && (
        <Collapse expanded={guidanceOpen} id={`${base}-guidance`}>
          <Stack gap={4} mt="xs">
            {criterion.guidance && <Text size="sm">{pickText(criterion.guidance, language)}</Text>}
            {criterion.note && (
              <Text size="sm" c="dimmed">
                {t('scoring.sheet.note')}: {pickText(criterion.note, language)}
              </Text>
            )}
            {optionGuidance.map((o) => (
              <Text size="sm" key={o.code}>
                {pickText(o.text, language)}: {pickText(o.guidance, language)}
              </Text>
            ))}
          </Stack>
        </Collapse>
      )}
      {form.showComments &&
        (form.onComment && !readOnly ? (
          (comment || commentOpen) && (
            <Textarea
              mt="xs"
              label={t('scoring.sheet.comment')}
              aria-label={t('scoring.sheet.commentOn', { code: criterion.code })}
              autosize
              minRows={2}
              maxLength={2000}
              value={comment}
              onChange={(e) => form.onComment?.(criterion.code, e.currentTarget.value)}
            />
          )
        ) : comment ? (
          <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
            <Text span fw={600} size="sm">
              {t('scoring.sheet.comment')}:
            </Text>{' '}
            {comment}
          </Text>
        ) : null)}
    </Paper>
  );
}

/** "★★★★☆ 4 sao": the stars are decoration; the words say the star. */
export function StarRating({ star }: { star: number | null | undefined }) {
  const { t } = useTranslation();
  if (!star) return <span>{t('scoring.sheet.noStar')}</span>;
  return (
    <span>
      <span aria-hidden style={{ color: 'var(--mantine-color-orange-7)', letterSpacing: 1 }}>
        {'★'.repeat(star)}
        {'☆'.repeat(5 - star)}
      </span>{' '}
      {t('scoring.sheet.stars', { count: star })}
    </span>
  );
}

function SheetSummary({
  sheet,
  outlook,
  fallbackStar,
  status,
}: {
  sheet: Sheet;
  outlook: SheetOutlook;
  fallbackStar: number | null;
  status: ReactNode;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const star = outlook.star ?? (outlook.complete ? fallbackStar : null);
  return (
    <Paper
      withBorder
      px="sm"
      py={6}
      radius="md"
      className="ocop-sheet-summary"
      role="region"
      aria-label={t('scoring.sheet.summary')}
    >
      <Stack gap={2}>
        <Group gap="md" wrap="wrap" justify="space-between" style={{ rowGap: 2 }}>
          <Group gap="sm" wrap="wrap" style={{ rowGap: 0 }}>
            {sheet.parts.map((part) => (
              <Text key={part.code} size="sm">
                <Text span fw={600} size="sm">
                  {part.code}
                </Text>{' '}
                {formatNumber(outlook.parts[part.code] ?? 0, language)}/
                {formatNumber(part.maxPoints, language)}
              </Text>
            ))}
            <Text fw={700} aria-live="polite">
              {t('scoring.sheet.total', {
                total: formatNumber(outlook.total, language),
                max: formatNumber(outlook.maxTotal, language),
              })}
            </Text>
          </Group>
          <Text size="sm">
            {t('scoring.sheet.answered', { answered: outlook.answered, criteria: outlook.criteria })}
          </Text>
        </Group>
        <Group gap="md" wrap="wrap" justify="space-between" style={{ rowGap: 2 }}>
          <Text size="sm" data-testid="sheet-star">
            {outlook.complete ? (
              star ? (
                <>
                  {t('scoring.sheet.starGiven')} <StarRating star={star} />
                </>
              ) : (
                t('scoring.sheet.starUnknown')
              )
            ) : outlook.runningStar ? (
              <>
                {t('scoring.sheet.starRunning')} <StarRating star={outlook.runningStar} />
              </>
            ) : (
              t('scoring.sheet.starWhenComplete')
            )}
          </Text>
          {status}
        </Group>
        {outlook.unmet.length > 0 && (
          <Text size="xs" c="orange.9">
            {t('scoring.sheet.unmet', {
              list: outlook.unmet
                .map((u) => t('scoring.sheet.unmetItem', { code: u.criterionCode, star: u.star }))
                .join('; '),
            })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
