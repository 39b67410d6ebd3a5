/** Korean: "2026년 4월 30일", "3월 10일부터 12일까지", "오전 9시 15분", "2조 4,683억", "0.6%포인트". */
import type { CjkForms } from './cjk.ts';

export const ko: CjkForms = {
  year: '년', month: '월', day: '일', gap: '\\s*',
  rangeJoin: '부터|~|～|〜|-|–|—', rangeEnd: '까지',
  hour: '시(?!간)', minute: '분', half: '반',
  afternoon: '오후|저녁|밤', morning: '오전|새벽|아침', noon: '정오|낮',
  percent: '[%％](?:\\s?포인트|p)?|퍼센트(?:\\s?포인트)?|포인트',
};
