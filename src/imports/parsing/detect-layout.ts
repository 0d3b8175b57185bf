/** Choosing the layout: an explicit one, `mapped` when a mapping is given, else the best-scoring detector. */
import { fileIssue } from './issues';
import { ALL_LAYOUTS, DETECTABLE_LAYOUTS, layoutByName } from './layouts';
import type { Layout } from './layouts/layout';
import type { LayoutName } from './options';
import type { RawRow } from './raw-row';

const MIN_CONFIDENCE = 0.5;

export interface LayoutChoice {
  layout: Layout;
  confidence: number;
  /** Every detectable layout's confidence, best first (also when the layout was given). */
  ranking: { name: LayoutName; confidence: number }[];
}

export function chooseLayout(head: readonly RawRow[], fileName: string, requested: string | undefined, hasMapping: boolean): LayoutChoice {
  const ranking = DETECTABLE_LAYOUTS.map((layout) => ({ layout, confidence: layout.detect(head) })).sort((a, b) => b.confidence - a.confidence);
  const summary = ranking.map(({ layout, confidence }) => ({ name: layout.name, confidence: Math.round(confidence * 1000) / 1000 }));

  if (requested !== undefined || hasMapping) {
    const name = requested ?? 'mapped';
    const layout = layoutByName(name);
    if (layout === null) {
      throw fileIssue(fileName, 'INVALID_OPTIONS', `Формат «${name}» не известен. Известные форматы: ${ALL_LAYOUTS.map((l) => l.name).join(', ')}.`, { value: name });
    }
    return { layout, confidence: layout.name === 'mapped' ? 1 : layout.detect(head), ranking: summary };
  }

  const [best, second] = ranking;
  if (best.confidence < MIN_CONFIDENCE) {
    const tried = DETECTABLE_LAYOUTS.map((layout) => {
      const missing = layout.missingColumns(head).slice(0, 4);
      return `«${layout.name}» (${layout.titleRu})${missing.length > 0 ? ` — нет столбцов: ${missing.join(', ')}` : ''}`;
    });
    throw fileIssue(
      fileName,
      'UNKNOWN_LAYOUT',
      `Не удалось определить формат файла по строке заголовка. Проверены форматы: ${tried.join('; ')}. ` +
        'Загрузите файл по шаблону хаба, укажите формат явно или задайте сопоставление столбцов.',
      { sheet: head[0]?.sheet ?? null, value: DETECTABLE_LAYOUTS.map((layout) => layout.name).join(', ') },
    );
  }
  if (second !== undefined && best.confidence - second.confidence < 1e-9) {
    throw fileIssue(
      fileName,
      'AMBIGUOUS_LAYOUT',
      `Файл одинаково подходит под форматы «${best.layout.name}» и «${second.layout.name}»: укажите формат явно.`,
      { sheet: head[0]?.sheet ?? null, value: `${best.layout.name}, ${second.layout.name}` },
    );
  }
  return { layout: best.layout, confidence: best.confidence, ranking: summary };
}
