import { invalid, show } from '../validation/fail.js';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';

/** `entity.key` as written; `entity` is absent for a bare key (an attribute). */
export interface RawIdentifier {
  readonly entity?: string;
  readonly key: string;
  /** The identifier as written, for messages. */
  readonly text: string;
}

/** A literal on the right-hand side of a comparison. */
export type RawValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly integer: boolean; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly RawValue[]; readonly text: string }
  | { readonly kind: 'none' };

/** One comparison before entity-specific validation; `comparator` is upper-cased. */
export interface RawClause {
  readonly identifier: RawIdentifier;
  readonly comparator: string;
  readonly value: RawValue;
}

/** A sort key before entity-specific validation. */
export interface RawOrderBy {
  readonly identifier: RawIdentifier;
  readonly ascending: boolean;
}

const COMPARATOR_WORDS = new Set(['LIKE', 'ILIKE', 'IN', 'NOT', 'IS']);

/** Cursor over tokens with MLflow-like error messages. */
class Cursor {
  private i = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
    private readonly field: string,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.i++];
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }
  /** Fails naming the rest of the input from the current token on. */
  fail(what: string): never {
    const t = this.peek();
    const rest = t === undefined ? 'end of input' : show(this.source.slice(t.at));
    return invalid(this.field, `Invalid clause in ${show(this.source)}: expected ${what}, found ${rest} (${this.field}).`);
  }
}

function keyPart(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'word' || t.kind === 'dquoted' || t.kind === 'bquoted' || t.kind === 'number');
}

function parseIdentifier(c: Cursor): RawIdentifier {
  if (!keyPart(c.peek())) c.fail('a key such as metrics.loss, params.lr, tags."my-tag" or an attribute');
  const parts: Token[] = [c.next() as Token];
  while (c.peek()?.kind === 'dot') {
    c.next();
    if (!keyPart(c.peek())) c.fail('a key after "."');
    parts.push(c.next() as Token);
  }
  const raw = (t: Token) => (t.kind === 'dquoted' ? `"${t.text}"` : t.kind === 'bquoted' ? `\`${t.text}\`` : t.text);
  const text = parts.map(raw).join('.');
  const [first, ...rest] = parts as [Token, ...Token[]];
  if (rest.length === 0) return { key: first.text, text };
  // Like MLflow: backquotes are trimmed off the entity, one quoted key part is unquoted, and
  // several parts (tags.mlflow.runName) join back with dots.
  const entity = first.kind === 'bquoted' ? first.text : raw(first);
  const key = rest.length === 1 && rest[0]?.kind !== 'word' ? (rest[0] as Token).text : rest.map(raw).join('.');
  return { entity, key, text };
}

function parseComparator(c: Cursor): string {
  const t = c.peek();
  if (t?.kind === 'op') return (c.next() as Token).text;
  if (t?.kind !== 'word' || !COMPARATOR_WORDS.has(t.text.toUpperCase())) c.fail('a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL)');
  const word = (c.next() as Token).text.toUpperCase();
  if (word === 'NOT') {
    if (!c.isWord('IN')) c.fail('IN after NOT');
    c.next();
    return 'NOT IN';
  }
  if (word === 'IS') {
    const not = c.isWord('NOT');
    if (not) c.next();
    if (!c.isWord('NULL')) c.fail(not ? 'NULL after IS NOT' : 'NULL or NOT NULL after IS');
    c.next();
    return not ? 'IS NOT NULL' : 'IS NULL';
  }
  return word;
}

function parseScalar(c: Cursor, source: string, field: string): RawValue {
  const t = c.peek();
  if (t?.kind === 'string' || t?.kind === 'dquoted') {
    c.next();
    return { kind: 'string', value: t.text };
  }
  if (t?.kind === 'number') {
    c.next();
    return { kind: 'number', value: Number(t.text), integer: /^-?\d+$/.test(t.text), text: t.text };
  }
  if (t?.kind === 'word') {
    invalid(field, `Value ${show(t.text)} in ${show(source)} is not quoted: quote string values with single or double quotes (${field}).`);
  }
  return c.fail('a value (a quoted string or a number)');
}

function parseValue(c: Cursor, comparator: string, source: string, field: string): RawValue {
  if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') return { kind: 'none' };
  if (c.peek()?.kind !== 'lparen') return parseScalar(c, source, field);
  const open = c.next() as Token;
  const items: RawValue[] = [];
  if (c.peek()?.kind === 'rparen') {
    invalid(field, `Expected a non-empty list of string values in ${show(source)}, got an empty list (${field}).`);
  }
  for (;;) {
    items.push(parseScalar(c, source, field));
    if (c.peek()?.kind === 'comma') {
      c.next();
      continue;
    }
    if (c.peek()?.kind !== 'rparen') c.fail('"," or ")" in a list');
    const close = c.next() as Token;
    return { kind: 'list', items, text: source.slice(open.at, close.at + 1) };
  }
}

/**
 * Parses an MLflow filter string into raw clauses joined by AND. Only the shape is checked here;
 * each search validates entities, keys, comparators and value types.
 */
export function parseClauses(source: string | undefined, field = 'filter'): readonly RawClause[] {
  if (source === undefined || source.trim() === '') return [];
  const c = new Cursor(tokenize(source, field), source, field);
  const clauses: RawClause[] = [];
  for (;;) {
    const identifier = parseIdentifier(c);
    const comparator = parseComparator(c);
    const value = parseValue(c, comparator, source, field);
    clauses.push({ identifier, comparator, value });
    if (c.done()) return clauses;
    if (c.isWord('OR')) {
      invalid(field, `Invalid clause in ${show(source)}: OR is not supported; MLflow filters only combine clauses with AND (${field}).`);
    }
    if (!c.isWord('AND')) c.fail('AND or the end of the filter');
    c.next();
  }
}

/** Parses one order_by entry: `<identifier> [ASC|DESC]` (ASC when omitted). */
export function parseOrderByEntry(source: string, field = 'orderBy'): RawOrderBy {
  const c = new Cursor(tokenize(source, field), source, field);
  const identifier = parseIdentifier(c);
  let ascending = true;
  if (c.isWord('ASC') || c.isWord('DESC')) ascending = (c.next() as Token).text.toUpperCase() === 'ASC';
  if (!c.done()) {
    invalid(field, `Invalid order_by clause ${show(source)}: expected '<key> [ASC|DESC]' (${field}).`);
  }
  return { identifier, ascending };
}
