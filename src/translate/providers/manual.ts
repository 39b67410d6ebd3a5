/** The manual provider: no machine translation; the draft waits for a translator. */
import type { Translator } from '../translator.ts';

export function createManualTranslator(): Translator {
  return {
    name: 'manual',
    async translate() {
      return undefined;
    },
  };
}
