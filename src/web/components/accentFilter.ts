import type { ComboboxItem, ComboboxParsedItem, OptionsFilter } from '@mantine/core';
import { foldAccents } from '../../shared/text';

/** Mantine's default filter is accent-sensitive; here "thai binh" finds "Thái Bình", as the API search does. */
export const accentInsensitiveFilter: OptionsFilter = ({ options, search, limit }) => {
  const needle = foldAccents(search);
  const result: ComboboxParsedItem[] = [];
  for (const option of options) {
    if (result.length >= limit) break;
    if ('group' in option) {
      const items = option.items.filter((item: ComboboxItem) => foldAccents(item.label).includes(needle));
      if (items.length > 0) result.push({ group: option.group, items });
    } else if (foldAccents(option.label).includes(needle)) {
      result.push(option);
    }
  }
  return result;
};
