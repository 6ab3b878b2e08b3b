/**
 * HTML text as an HTML parser (parse5, the spec's tree building) builds it: the elements in it and
 * the popup rows among them (`data-domain`). For tests of the popup page the worker serves.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';

export type HtmlElement = DefaultTreeAdapterMap['element'];

/** Every element of `html`, in document order. */
export function elementsOf(html: string): HtmlElement[] {
  const walk = (node: { childNodes?: DefaultTreeAdapterMap['childNode'][] }): HtmlElement[] =>
    (node.childNodes ?? []).flatMap((child) => ('tagName' in child ? [child, ...walk(child)] : []));
  return walk(parse(html));
}

export function attributeOf(element: HtmlElement, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** The popup rows in `html`: the elements that carry data-domain. */
export function rowsOf(html: string): HtmlElement[] {
  return elementsOf(html).filter((element) => attributeOf(element, 'data-domain') !== undefined);
}
