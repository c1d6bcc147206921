/**
 * XML escaping done here rather than by fast-xml-parser's builder: the builder writes CR raw, which every
 * conforming parser turns into LF, so a value with CR would not survive a round trip. CR, and LF/tab in
 * attributes, become character references.
 */
const textEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const attrEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

const whitespaceRefs: Record<string, string> = { ' ': '&#32;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Whitespace-only text is written as character references: parsers drop whitespace-only text nodes. */
export function escapeXmlText(value: string): string {
  if (value.length > 0 && /^[ \t\n\r]+$/.test(value))
    return value.replace(/[ \t\n\r]/g, (char) => whitespaceRefs[char] as string);
  return value.replace(/[&<>\r]/g, (char) => textEscapes[char] as string);
}

export function escapeXmlAttr(value: string): string {
  return value.replace(/[&<>"'\r\n\t]/g, (char) => attrEscapes[char] as string);
}

/** A small element tree for documents whose element order matters (UBL). */
export interface XmlElement {
  name: string;
  attrs?: Readonly<Record<string, string>>;
  text?: string;
  children?: readonly (XmlElement | undefined)[];
}

export function renderXml(element: XmlElement, depth = 0): string {
  const indent = '  '.repeat(depth);
  const attrs = Object.entries(element.attrs ?? {})
    .map(([key, value]) => ` ${key}="${escapeXmlAttr(value)}"`)
    .join('');
  const children = (element.children ?? []).filter((child): child is XmlElement => child !== undefined);
  if (children.length > 0) {
    const inner = children.map((child) => renderXml(child, depth + 1)).join('');
    return `${indent}<${element.name}${attrs}>\n${inner}${indent}</${element.name}>\n`;
  }
  return `${indent}<${element.name}${attrs}>${escapeXmlText(element.text ?? '')}</${element.name}>\n`;
}
