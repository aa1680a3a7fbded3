import { invalidParameter } from '../errors.js';
import { parseDelimitedPattern } from './delimited.js';
import { parseJsonPattern } from './json.js';
import { matchTerms, parseTerms } from './terms.js';
import { filterRegex } from './wildcard.js';

/**
 * A compiled FilterLogEvents `filterPattern`. The dialect follows from the first character, as
 * in CloudWatch Logs: `{` JSON, `[` space-delimited, `%` a regular expression, anything else
 * terms; empty matches every event.
 */
export interface FilterPattern {
  matches(message: string): boolean;
  /**
   * A case-sensitive substring every matching message contains, when the pattern implies one:
   * the event store can skip other events cheaply. Absent when nothing is implied.
   */
  readonly mustContain?: string;
}

const fail = (detail: string): never => {
  throw invalidParameter(`Invalid filter pattern: ${detail}`);
};

const ALL: FilterPattern = { matches: () => true };

export function compileFilterPattern(text: string | undefined): FilterPattern {
  const src = (text ?? '').trim();
  if (src === '') return ALL;
  if (src.startsWith('{')) {
    if (!src.endsWith('}')) fail("a JSON pattern must end with '}'");
    const test = parseJsonPattern(src.slice(1, -1));
    return {
      matches: (message) => {
        const start = message.trimStart()[0];
        if (start !== '{' && start !== '[') return false;
        let doc: unknown;
        try {
          doc = JSON.parse(message);
        } catch {
          return false;
        }
        return test(doc);
      },
    };
  }
  if (src.startsWith('[')) {
    if (!src.endsWith(']')) fail("a space-delimited pattern must end with ']'");
    const test = parseDelimitedPattern(src.slice(1, -1));
    return { matches: test };
  }
  if (src.startsWith('%') && src.endsWith('%') && src.length >= 2) {
    const re = filterRegex(src.slice(1, -1), fail);
    return { matches: (message) => re.test(message) };
  }
  const terms = parseTerms(src);
  const longest = [...terms.required].sort((a, b) => b.length - a.length)[0];
  return longest === undefined ? { matches: (m) => matchTerms(terms, m) } : { matches: (m) => matchTerms(terms, m), mustContain: longest };
}
