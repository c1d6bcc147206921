/**
 * Text every exchange format can carry losslessly. NUL and lone surrogates do not survive UTF-8 and most
 * consumers; U+FFFD is what a decoder leaves behind for bytes that were not valid in the file's encoding,
 * so on import it marks a corrupted row rather than data.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// XML 1.0 allows tab, LF and CR among the C0 controls, and never U+FFFE / U+FFFF.
// eslint-disable-next-line no-control-regex
const xmlForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Returns why `value` cannot be exchanged, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL character';
  if (value.includes('\uFFFD')) return 'contains U+FFFD (bytes that were not valid in the file encoding)';
  if (loneSurrogate.test(value)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

/** Like textProblem, plus the control characters XML 1.0 cannot represent at all. */
export function xmlTextProblem(value: string): string | undefined {
  const problem = textProblem(value);
  if (problem !== undefined) return problem;
  if (xmlForbidden.test(value)) return 'contains a control character XML 1.0 cannot carry';
  return undefined;
}
