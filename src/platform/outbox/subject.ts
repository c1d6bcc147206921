/** `customer/0192…` → `0192…`: the local record id an event subject names (the whole subject if no slash). */
export function localIdOfSubject(subject: string): string {
  const slash = subject.indexOf('/');
  return slash === -1 ? subject : subject.slice(slash + 1);
}
