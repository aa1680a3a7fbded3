import { invalidParameter } from '../errors.js';

/**
 * The term dialect of filter patterns, for unstructured log events (CloudWatch Logs User Guide,
 * "Filter pattern syntax", matching terms):
 *  - `ERROR Exception`: every term must occur in the message (case-sensitive substring:
 *    `ERROR` matches `ERRORCODE`);
 *  - `"Failed to process"`: a quoted phrase occurs as written. The User Guide asks for quotes
 *    around terms with characters other than letters, digits and `_`; CloudWatch Logs answers
 *    "Invalid character(s) in term" for some. Berth refuses only the characters that mean
 *    something in the other dialects (quotes, brackets, braces, parentheses, `%`, `*`, `?`, `!`,
 *    `&`, `|`, `<`, `>`, `=`), so an unquoted `request-id` or `ERROR:` is one term;
 *  - `?ERROR ?WARN`: at least one of the `?` terms occurs;
 *  - `-Exiting` / `- "Exiting"`: the term does not occur.
 * Plain, `?` and `-` terms combine: all plain terms, one of the `?` terms (if any), none of the
 * `-` terms.
 */
export interface TermsPattern {
  readonly required: readonly string[];
  readonly anyOf: readonly string[];
  readonly excluded: readonly string[];
}

const BARE = /^[^"'{}[\]()%*?!&|<>=\p{C}]+$/u;

export function parseTerms(text: string): TermsPattern {
  const required: string[] = [];
  const anyOf: string[] = [];
  const excluded: string[] = [];
  let i = 0;
  const n = text.length;
  const skipSpace = (): void => {
    while (i < n && /\s/.test(text[i])) i++;
  };
  for (skipSpace(); i < n; skipSpace()) {
    let kind: 'required' | 'anyOf' | 'excluded' = 'required';
    if (text[i] === '?' || text[i] === '-') {
      kind = text[i] === '?' ? 'anyOf' : 'excluded';
      i++;
      skipSpace();
      if (i >= n) throw invalidParameter(`Invalid filter pattern: '${text[i - 1]}' must be followed by a term`);
    }
    let term: string;
    if (text[i] === '"') {
      let j = i + 1;
      term = '';
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < n) j++;
        term += text[j++];
      }
      if (j >= n) throw invalidParameter('Invalid filter pattern: unterminated quoted term');
      i = j + 1;
    } else {
      let j = i;
      while (j < n && !/\s/.test(text[j])) j++;
      term = text.slice(i, j);
      if (!BARE.test(term)) throw invalidParameter(`Invalid character(s) in term '${term}'`);
      i = j;
    }
    if (term === '') continue; // `""` matches everything
    ({ required, anyOf, excluded })[kind].push(term);
  }
  return { required, anyOf, excluded };
}

export function matchTerms(p: TermsPattern, message: string): boolean {
  for (const t of p.required) if (!message.includes(t)) return false;
  for (const t of p.excluded) if (message.includes(t)) return false;
  if (p.anyOf.length === 0) return true;
  for (const t of p.anyOf) if (message.includes(t)) return true;
  return false;
}
