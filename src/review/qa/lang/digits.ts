/**
 * Digits of other scripts read as ASCII digits, one character for one, so offsets stay the same:
 * full-width "０-９", "．", "，", "％" (Chinese, Japanese and Korean typesetting), and Lao, Khmer and
 * Thai digits. Only between digits are "．" and "，" separators; elsewhere "，" is a comma.
 */
const ranges: [number, number][] = [[0xff10, 0xff19], [0x0ed0, 0x0ed9], [0x17e0, 0x17e9], [0x0e50, 0x0e59]];

export function asciiDigits(text: string): string {
  if (!/[\uff10-\uff19\uff05\u0ed0-\u0ed9\u17e0-\u17e9\u0e50-\u0e59]/.test(text)) return text;
  let out = text.replace(/[\uff10-\uff19\u0ed0-\u0ed9\u17e0-\u17e9\u0e50-\u0e59]/g, (c) => {
    const code = c.charCodeAt(0);
    const [from] = ranges.find(([a, b]) => code >= a && code <= b)!;
    return String(code - from);
  });
  out = out.replace(/(?<=\d)[．，](?=\d)/g, (c) => (c === '．' ? '.' : ',')).replace(/％/g, '%');
  return out;
}
