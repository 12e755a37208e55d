import { invalid, show } from '../validation/fail.js';

/** Kinds of tokens in MLflow's search grammar. */
export type TokenKind =
  | 'word' // bare name or keyword (AND, LIKE, IN, NOT, IS, NULL, ASC, DESC)
  | 'string' // 'single quoted'
  | 'dquoted' // "double quoted": a key or a string value
  | 'bquoted' // `backquoted`: a key
  | 'number'
  | 'op' // = != <> == < <= > >=
  | 'dot'
  | 'lparen'
  | 'rparen'
  | 'comma';

/** One token; `text` is the content without quotes for quoted kinds, the source text otherwise. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset in the source, for messages. */
  readonly at: number;
}

const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?![\p{L}\p{N}_])/uy;
const WORD = /[\p{L}\p{N}_$]+/uy;
const OP = /(?:>=|<=|!=|<>|==|=|<|>)/y;
// Inner text of quoted tokens is kept raw, as MLflow strips only the enclosing quotes.
const QUOTED: Record<string, { kind: TokenKind; re: RegExp }> = {
  "'": { kind: 'string', re: /'((?:''|\\.|[^'\\])*)'/y },
  '"': { kind: 'dquoted', re: /"((?:""|\\.|[^"\\])*)"/y },
  '`': { kind: 'bquoted', re: /`([^`]*)`/y },
};
const PUNCT: Record<string, TokenKind> = { '.': 'dot', '(': 'lparen', ')': 'rparen', ',': 'comma' };

/**
 * Splits a filter or order_by string into tokens. Rejects unterminated quotes and characters the
 * grammar has no use for, naming the position.
 */
export function tokenize(source: string, field: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = i;
    return re.exec(source);
  };
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const quoted = QUOTED[c];
    if (quoted !== undefined) {
      const m = at(quoted.re);
      if (m === null) invalid(field, `Unterminated quote ${c} at position ${i} in ${show(source)} (${field}).`);
      tokens.push({ kind: quoted.kind, text: m[1] ?? '', at: i });
      i += m[0].length;
      continue;
    }
    // A '.' right after a name separates key parts (`metrics.1`), it does not start a number.
    const previous = tokens[tokens.length - 1]?.kind;
    const afterName = c === '.' && (previous === 'word' || previous === 'dquoted' || previous === 'bquoted' || previous === 'number');
    const number = /[-.\d]/.test(c) && !afterName ? at(NUMBER) : null;
    if (number !== null) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const punct = PUNCT[c];
    if (punct !== undefined) {
      tokens.push({ kind: punct, text: c, at: i });
      i++;
      continue;
    }
    const word = at(WORD);
    const op = word === null ? at(OP) : null;
    const match = word ?? op;
    if (match === null) invalid(field, `Invalid character ${show(c)} at position ${i} in ${show(source)} (${field}).`);
    tokens.push({ kind: word !== null ? 'word' : 'op', text: match[0], at: i });
    i += match[0].length;
  }
  return tokens;
}
