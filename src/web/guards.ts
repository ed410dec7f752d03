/** Narrows a string from the URL or a select to one of a code list; anything else becomes undefined. */
export function oneOf<T extends string>(list: readonly T[], value: string | null | undefined): T | undefined {
  return value !== null && value !== undefined && (list as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}
