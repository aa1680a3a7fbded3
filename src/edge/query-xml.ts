import { xmlEscape } from './query-protocol.js';

/**
 * The members of a Query protocol XML result, shared by the Query rooms (IAM, ELBv2): an element
 * (absent when the value is), a wrapper, and a list as `<Name><member>…</member></Name>`.
 */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${typeof value === 'string' ? xmlEscape(value) : String(value)}</${name}>`;
}

export const wrap = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

export function list<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return wrap(name, items.map((i) => wrap('member', render(i))).join(''));
}
