/**
 * Tokens of the ECS cluster query language (ECS Developer Guide, "Cluster query language").
 *
 * The lexer is pulled by the parser one token at a time, because one spot of the grammar is
 * context-sensitive: the argument of `=~` / `!~` is a regular expression, which may hold
 * characters (`|`, `(`, `[`) that elsewhere are punctuation. The parser asks for it with
 * {@link Lexer.pattern} right after the operator.
 */

/** Thrown for any text that is not a valid expression; its message can go to the caller as is. */
export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
  /** 0-based offset in the expression where the problem was found (the text length at its end). */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

export type TokenKind =
  | 'word' // unquoted run: subjects, word operators, keywords, bare values
  | 'string' // quoted value, quotes removed
  | 'op' // symbol comparison operator: == != > >= < <= =~ !~ !in !exists
  | 'and' // &&
  | 'or' // ||
  | 'bang' // ! (not)
  | '(' | ')' | '[' | ']' | ','
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The value for words and strings, the symbol otherwise. */
  readonly text: string;
  /** 0-based offset of the token's first character. */
  readonly at: number;
}

/**
 * Characters that end an unquoted word. Attribute names and values cannot hold any of them (ECS
 * allows letters, digits, `-_./\:@`, and spaces in values), so `attribute:stack==prod` needs no
 * spaces. `*` (wildcard), `+` (in dates) and `:` (in `task:group`, `service:web`) stay inside words.
 */
const STOP = new Set([...'()[],\'"=!<>~&|']);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isWordChar = (c: string | undefined): c is string => c !== undefined && !isSpace(c) && !STOP.has(c);

export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(private readonly src: string) {}

  /** Returns the next token without consuming it. */
  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  /** Consumes and returns the next token. */
  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** A syntax error pointing at `at`, with the surrounding text quoted for the reader. */
  error(message: string, at: number): QuerySyntaxError {
    const near = at >= this.src.length ? 'at the end of the expression' : `at position ${at + 1} near '${this.src.slice(at, at + 20)}'`;
    return new QuerySyntaxError(`Invalid query expression: ${message} ${near}`, at);
  }

  /**
   * Reads a regular-expression argument. Quoted, it is the quoted text. Unquoted, it runs to the
   * next whitespace or to a `)` that closes a parenthesis opened before it (so `not(x =~ g2.*)`
   * works), keeping balanced `( )`, character classes `[...]` and `\` escapes inside it.
   * Must be called right after the operator was consumed (no token peeked).
   */
  pattern(): Token {
    if (this.peeked) throw new Error('Lexer.pattern() called with a token peeked');
    this.skipSpace();
    const start = this.pos;
    const c = this.src[start];
    if (c === '"' || c === "'") return this.quoted(c);
    let depth = 0;
    let inClass = false;
    let i = start;
    for (; i < this.src.length; i++) {
      const ch = this.src[i]!;
      if (ch === '\\') { i++; continue; }
      if (inClass) { if (ch === ']') inClass = false; continue; }
      if (ch === '[') { inClass = true; if (this.src[i + 1] === ']' || this.src[i + 1] === '^') i++; continue; }
      if (isSpace(ch) && depth === 0) break;
      if (ch === '(') depth++;
      else if (ch === ')') { if (depth === 0) break; depth--; }
    }
    this.pos = Math.min(i, this.src.length);
    if (this.pos === start) throw this.error('expected a regular expression', start);
    return { kind: 'word', text: this.src.slice(start, this.pos), at: start };
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && isSpace(this.src[this.pos]!)) this.pos++;
  }

  private scan(): Token {
    this.skipSpace();
    const at = this.pos;
    const s = this.src;
    const c = s[at];
    if (c === undefined) return { kind: 'eof', text: '', at };
    const two = s.slice(at, at + 2);
    const tok = (kind: TokenKind, text: string): Token => { this.pos = at + text.length; return { kind, text, at }; };
    switch (c) {
      case '(': case ')': case '[': case ']': case ',':
        return tok(c, c);
      case '"': case "'":
        return this.quoted(c);
      case '&':
        if (two === '&&') return tok('and', '&&');
        throw this.error("expected '&&'", at);
      case '|':
        if (two === '||') return tok('or', '||');
        throw this.error("expected '||'", at);
      case '=':
        if (two === '==' || two === '=~') return tok('op', two);
        throw this.error("expected '==' or '=~'", at);
      case '<': case '>':
        return tok('op', s[at + 1] === '=' ? two : c);
      case '~':
        throw this.error("unexpected '~'", at);
      case '!': {
        if (two === '!=' || two === '!~') return tok('op', two);
        // `!in` and `!exists` are operators only as whole words; otherwise `!` is `not`.
        for (const w of ['in', 'exists']) {
          const end = at + 1 + w.length;
          if (s.slice(at + 1, end).toLowerCase() === w && !isWordChar(s[end])) {
            this.pos = end;
            return { kind: 'op', text: '!' + w, at };
          }
        }
        return tok('bang', '!');
      }
    }
    let end = at;
    while (isWordChar(s[end])) end++;
    return tok('word', s.slice(at, end));
  }

  /**
   * A quoted value. Inside quotes `\\` is one backslash and a backslash before the quote character
   * is that character; any other backslash is kept as is (so `'\d+'` is the regex `\d+`).
   */
  private quoted(q: string): Token {
    const at = this.pos;
    let out = '';
    let i = at + 1;
    for (;;) {
      const ch = this.src[i];
      if (ch === undefined) throw this.error('unterminated quoted value', at);
      if (ch === q) break;
      if (ch === '\\' && (this.src[i + 1] === q || this.src[i + 1] === '\\')) { out += this.src[i + 1]; i += 2; continue; }
      out += ch;
      i++;
    }
    this.pos = i + 1;
    return { kind: 'string', text: out, at };
  }
}
