/** Japanese: "2026年4月30日", "3月10日から12日まで", "午前9時15分", "2兆4683億", "0.6ポイント". */
import type { CjkForms } from './cjk.ts';

export const ja: CjkForms = {
  year: '年', month: '月', day: '日', gap: '',
  rangeJoin: 'から|～|~|〜|－|-|–|—', rangeEnd: 'まで|にかけて',
  hour: '時(?!間)', minute: '分', half: '半',
  afternoon: '午後|夜', morning: '午前|早朝|朝', noon: '正午',
  percent: '[%％](?:ポイント)?|パーセント(?:ポイント)?|ポイント',
};
