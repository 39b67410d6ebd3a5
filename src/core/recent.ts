/**
 * A pure function of one text, remembering its last answers: the editor page parses the same
 * story and draft several times (the checks, the fields, the marks, the differences), and a
 * parse of a long body costs far more than finding it again. Bounded: past `size` texts it starts
 * again. Callers must not change what it answers; `copy` gives each caller its own.
 */
export function rememberRecent<R>(fn: (text: string) => R, copy: (r: R) => R, size = 200): (text: string) => R {
  const seen = new Map<string, R>();
  return (text) => {
    let r = seen.get(text);
    if (r === undefined) {
      r = fn(text);
      if (seen.size >= size) seen.clear();
      seen.set(text, r);
    }
    return copy(r);
  };
}
