/**
 * What the target-side scanners need to know about each language they read: month names, number
 * words, magnitude words, separators. Russian has its own module (lang/ru.ts); Chinese, Japanese and
 * Korean are read by lang/cjk.ts. Languages not listed here are read for digits only.
 */
import { ru } from './lang/ru.ts';

export interface LanguageTable {
  months: Record<string, number>;
  /** Cardinal words (all forms, lower case). */
  cardinals: Record<string, number>;
  /** Ordinal words. */
  ordinals: Record<string, number>;
  /** Multipliers after a number ("million" 1e6); French "billion" is 1e12. */
  magnitudes: Record<string, number>;
  /** Words that join parts of a spelt number ("and", "et", "y"). */
  joiners: string[];
  /** Words meaning one that are also articles: they help matching but are never "extra". */
  weak: string[];
  thousands: string[];
  decimal: '.' | ',';
  /** Regex source for words that follow a number to make a percentage. */
  percentWords: string;
  /** Regex source for digit ordinal suffixes. */
  ordinalSuffix: string;
  /** Regex source of words that join two days of a range ("to", "au", "al"). */
  rangeWords: string;
  /** A month named alone is read in every listed form (languages that decline month names), not just the longest. */
  allMonthForms?: boolean;
}

const months = (names: string[][]) => Object.fromEntries(names.flatMap((forms, i) => forms.map((f) => [f, i + 1])));

const en: LanguageTable = {
  months: months([['january', 'jan'], ['february', 'feb'], ['march', 'mar'], ['april', 'apr'], ['may'], ['june', 'jun'], ['july', 'jul'], ['august', 'aug'], ['september', 'sep', 'sept'], ['october', 'oct'], ['november', 'nov'], ['december', 'dec']]),
  cardinals: {
    zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
    thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
    forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, dozen: 12, a: 1, an: 1,
  },
  ordinals: {
    first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11,
    twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19,
    twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90, hundredth: 100,
  },
  magnitudes: { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9, mn: 1e6 },
  joiners: ['and'],
  weak: ['one', 'a', 'an'],
  thousands: [','],
  decimal: '.',
  percentWords: '%|\\s*per\\s*cent\\b|\\s*percent\\b|\\s*percentage\\s+points?\\b',
  ordinalSuffix: 'st|nd|rd|th',
  rangeWords: '-|–|to|and|until|through|till',
};

const frCardinals: Record<string, number> = {
  zéro: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11, douze: 12,
  treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60,
  cent: 100, cents: 100,
};
const frOrdinals: Record<string, number> = { premier: 1, première: 1, second: 2, seconde: 2, cinquième: 5, neuvième: 9 };
for (const [word, value] of Object.entries(frCardinals)) {
  if (value < 2 || word === 'vingts' || word === 'cents') continue; // plurals have no ordinal of their own; "trois" has
  frOrdinals[`${word.replace(/e$/, '')}ième`] ??= value;
}

const fr: LanguageTable = {
  months: months([['janvier', 'janv'], ['février', 'fevrier', 'févr'], ['mars'], ['avril', 'avr'], ['mai'], ['juin'], ['juillet', 'juil'], ['août', 'aout'], ['septembre', 'sept'], ['octobre', 'oct'], ['novembre', 'nov'], ['décembre', 'decembre', 'déc']]),
  cardinals: frCardinals,
  ordinals: frOrdinals,
  magnitudes: { mille: 1e3, million: 1e6, millions: 1e6, milliard: 1e9, milliards: 1e9, billion: 1e12, billions: 1e12, md: 1e9, mds: 1e9 },
  joiners: ['et'],
  weak: ['un', 'une'],
  thousands: [' ', '\u00a0', '\u202f', '.'],
  decimal: ',',
  percentWords: '\\s*%|\\s*pour\\s*cent\\b|\\s*points?\\s+de\\s+pourcentage\\b',
  ordinalSuffix: 'er|re|ère|e|ème|ᵉ|ᵉʳ',
  rangeWords: '-|–|au|à|et',
};

const es: LanguageTable = {
  months: months([['enero'], ['febrero'], ['marzo'], ['abril'], ['mayo'], ['junio'], ['julio'], ['agosto'], ['septiembre', 'setiembre'], ['octubre'], ['noviembre'], ['diciembre']]),
  cardinals: {
    cero: 0, uno: 1, una: 1, un: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11,
    doce: 12, trece: 13, catorce: 14, quince: 15, dieciséis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19, veinte: 20,
    treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90, cien: 100, ciento: 100,
  },
  ordinals: { primero: 1, primera: 1, primer: 1, segundo: 2, segunda: 2, tercero: 3, tercera: 3, tercer: 3, cuarto: 4, cuarta: 4, quinto: 5, quinta: 5 },
  // "mil millones" is 10⁹ and "billones" 10¹², as in French ("milliard", "billion")
  magnitudes: { mil: 1e3, millón: 1e6, millones: 1e6, 'mil millones': 1e9, 'mil millón': 1e9, millardo: 1e9, millardos: 1e9, billón: 1e12, billones: 1e12 },
  joiners: ['y'],
  weak: ['un', 'uno', 'una'],
  thousands: ['.', ' ', '\u00a0'],
  decimal: ',',
  percentWords: '\\s*%|\\s*por\\s*ciento\\b',
  ordinalSuffix: 'º|ª|\\.º|\\.ª',
  rangeWords: '-|–|al|a|y',
};

const tables: Record<string, LanguageTable> = { en, fr, es, ru };

export const languageTable = (lang: string): LanguageTable | undefined => tables[lang];

/** Digits-only reading for languages without a table: "," groups thousands, "." marks decimals. */
export const digitsOnly: LanguageTable = { ...en, months: {}, cardinals: {}, ordinals: {}, magnitudes: {}, joiners: [], weak: [], percentWords: '\\s*%', rangeWords: '-|–' };
