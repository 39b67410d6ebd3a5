/** Chinese (Simplified and Traditional): "2026年4月30日", "3月10日至12日", "上午9时15分", "37亿", "0.6个百分点". */
import type { CjkForms } from './cjk.ts';

export const zh: CjkForms = {
  year: '年', month: '月', day: '[日号號]', gap: '',
  rangeJoin: '至|到|—|－|-|–|~|～', rangeEnd: '',
  hour: '(?:时|點|点|時)(?![间間])', minute: '分', half: '半',
  afternoon: '下午|晚上|傍晚|午后|午後|晚', morning: '上午|早上|早晨|清晨|凌晨', noon: '中午',
  percent: '[%％]|个百分点|個百分點|百分点|百分點',
  percentBefore: '百分之',
};
