import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { textProblem } from '../text-rules.js';
import { normaliseColumnName } from './read-item.js';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  // Entities are decoded below, strictly: fast-xml-parser leaves numeric references undecoded and would
  // accept undefined names.
  processEntities: false,
  preserveOrder: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

type OrderedNode = Record<string, unknown>;

const predefined: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; anything else is an error. */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&([^;&\s]{0,12});|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new Error('bare "&" in text');
    const named = predefined[body];
    if (named !== undefined) return named;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] as string, 10);
      const allowed =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (!allowed) throw new Error(`character reference ${match} is not allowed in XML`);
      return String.fromCodePoint(code);
    }
    throw new Error(`undefined entity ${match}`);
  });
}

/** XML end-of-line handling: CRLF and lone CR in literal text read as LF (CR survives as &#13;). */
function textValue(raw: string): string {
  return decodeXmlEntities(raw.replace(/\r\n?/g, '\n'));
}

function nodeName(node: OrderedNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

/**
 * Parses one record element `<customer><code>C1</code><name>Ada</name></customer>` into a flat text record.
 * Child elements are fields; text, CDATA and character references make up their values; a field with
 * child elements, a repeated field or text directly in the record is an error.
 */
export function parseXmlRecord(
  text: string,
  maxFieldChars: number,
): { record: Record<string, string> } | { reason: string } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { reason: `malformed XML: ${valid.err.msg} (record line ${valid.err.line})` };
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (error) {
    return { reason: `malformed XML: ${(error as Error).message}` };
  }
  const root = nodes.find((node) => nodeName(node) !== '#comment' && nodeName(node) !== '#text');
  if (root === undefined) return { reason: 'empty record' };
  const children = (root[nodeName(root)] as OrderedNode[] | undefined) ?? [];
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  try {
    for (const child of children) {
      const key = nodeName(child);
      if (key === '#comment') continue;
      if (key === '#text') {
        if (String(child[key]).trim().length > 0)
          return { reason: 'text directly inside the record element' };
        continue;
      }
      if (key === '#cdata') return { reason: 'CDATA directly inside the record element' };
      const name = normaliseColumnName(key);
      if (seen.has(name)) return { reason: `field <${key}> appears twice` };
      seen.add(name);
      let value = '';
      for (const part of (child[key] as OrderedNode[] | undefined) ?? []) {
        const partName = nodeName(part);
        if (partName === '#text') value += textValue(String(part[partName]));
        else if (partName === '#cdata')
          value += (part[partName] as OrderedNode[])
            .map((cdata) => String(cdata['#text'] ?? ''))
            .join('')
            .replace(/\r\n?/g, '\n');
        else if (partName !== '#comment')
          return { reason: `field <${key}> has a nested element <${partName}>; fields hold text only` };
      }
      if (value.length > maxFieldChars)
        return { reason: `field <${key}> is longer than ${maxFieldChars} characters` };
      const problem = textProblem(value);
      if (problem !== undefined) return { reason: `field <${key}>: ${problem}` };
      entries.push([name, value]);
    }
  } catch (error) {
    return { reason: (error as Error).message };
  }
  return { record: Object.fromEntries(entries) };
}
