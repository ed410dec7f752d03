-- ocop_sort_key(text): a key whose byte order (COLLATE "C") is Vietnamese alphabetical order, as
-- Intl.Collator('vi', { numeric: true }) sorts: no database collation does (C puts Đ after Z, ICU "vi"
-- in PostgreSQL behaves like root). It must give exactly what vietnameseSortKey() in src/shared/text.ts
-- gives; tests compare the two. Layout: primary weights (letters a ă â b c d đ e ê … o ô ơ … u ư …,
-- punctuation before digits, digit runs by value, other characters after the letters by code point),
-- a space, one tone per element (none, huyền, hỏi, ngã, sắc, nặng), a space, one case per element.
-- Only ASCII letters and đ/Đ after NFD are treated as letters, so no locale setting changes the result
-- (lower()/upper() would), which is what makes IMMUTABLE true and the index safe.
CREATE OR REPLACE FUNCTION ocop_sort_key(input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
DECLARE
  symbols constant text := E'\t _-–—,;:!?.·\'"()[]{}@*/\\&#%`^+<=>|~$';
  letters constant text := 'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz';
  weight_base constant int := 33;
  number_mark constant text := chr(weight_base + length(symbols));
  letter_base constant int := weight_base + length(symbols) + 1;
  unknown_mark constant text := chr(letter_base + length(letters));
  s text := normalize(input, NFD);
  n int := length(s);
  i int := 1;
  j int;
  c text;
  cp int;
  mark int;
  letter text;
  tone text;
  is_upper boolean;
  digits text;
  sym_sec text;
  sym_ter text;
  pos int;
  p text := '';
  sec text := '';
  ter text := '';
BEGIN
  WHILE i <= n LOOP
    c := substr(s, i, 1);
    cp := ascii(c);
    -- Ignorable (soft hyphen, zero-width characters, BOM) and combining marks without a letter.
    IF cp IN (173, 8203, 8204, 8205, 8288, 65279) OR cp BETWEEN 768 AND 879 THEN
      i := i + 1;
      CONTINUE;
    END IF;
    IF cp BETWEEN 48 AND 57 THEN
      j := i;
      WHILE j <= n AND ascii(substr(s, j, 1)) BETWEEN 48 AND 57 LOOP
        j := j + 1;
      END LOOP;
      digits := ltrim(substr(s, i, j - i), '0');
      IF digits = '' THEN
        digits := '0';
      END IF;
      p := p || number_mark || lpad(length(digits)::text, 3, '0') || digits;
      sec := sec || 'a';
      ter := ter || 'a';
      i := j;
      CONTINUE;
    END IF;
    is_upper := cp BETWEEN 65 AND 90 OR cp = 272;
    IF is_upper OR cp BETWEEN 97 AND 122 OR cp = 273 THEN
      letter := CASE WHEN cp IN (272, 273) THEN 'đ' WHEN is_upper THEN chr(cp + 32) ELSE c END;
      tone := 'a';
      j := i + 1;
      WHILE j <= n LOOP
        mark := ascii(substr(s, j, 1));
        EXIT WHEN mark NOT BETWEEN 768 AND 879;
        IF mark = 774 AND letter = 'a' THEN
          letter := 'ă';
        ELSIF mark = 770 AND letter IN ('a', 'e', 'o') THEN
          letter := CASE letter WHEN 'a' THEN 'â' WHEN 'e' THEN 'ê' ELSE 'ô' END;
        ELSIF mark = 795 AND letter IN ('o', 'u') THEN
          letter := CASE letter WHEN 'o' THEN 'ơ' ELSE 'ư' END;
        ELSIF tone = 'a' AND mark IN (768, 777, 771, 769, 803) THEN
          tone := CASE mark WHEN 768 THEN 'b' WHEN 777 THEN 'c' WHEN 771 THEN 'd' WHEN 769 THEN 'e' ELSE 'f' END;
        END IF;
        j := j + 1;
      END LOOP;
      p := p || chr(letter_base + strpos(letters, letter) - 1);
      sec := sec || tone;
      ter := ter || CASE WHEN is_upper THEN 'b' ELSE 'a' END;
      i := j;
      CONTINUE;
    END IF;
    IF cp = 8230 THEN
      -- The ellipsis weighs as three full stops.
      p := p || repeat(chr(weight_base + strpos(symbols, '.') - 1), 3);
      sec := sec || 'aaa';
      ter := ter || 'bbb';
      i := i + 1;
      CONTINUE;
    END IF;
    sym_sec := 'a';
    sym_ter := 'a';
    CASE cp
      WHEN 160 THEN c := ' '; sym_ter := 'b';
      WHEN 8216 THEN c := ''''; sym_sec := 'b';
      WHEN 8217 THEN c := ''''; sym_sec := 'c';
      WHEN 8220 THEN c := '"'; sym_sec := 'b';
      WHEN 8221 THEN c := '"'; sym_sec := 'c';
      ELSE NULL;
    END CASE;
    pos := strpos(symbols, c);
    IF pos > 0 THEN
      p := p || chr(weight_base + pos - 1);
      sec := sec || sym_sec;
      ter := ter || sym_ter;
    ELSE
      p := p || unknown_mark || lpad(to_hex(cp), 6, '0');
      sec := sec || 'a';
      ter := ter || 'a';
    END IF;
    i := i + 1;
  END LOOP;
  RETURN p || ' ' || sec || ' ' || ter;
END
$$;
--> statement-breakpoint
CREATE INDEX "subjects_name_sort_idx" ON "subjects" USING btree (ocop_sort_key("name") COLLATE "C","id");--> statement-breakpoint
CREATE INDEX "subjects_updated_idx" ON "subjects" USING btree ("updated_at","id");
