import { ApiError } from '$lib/api';
import { fieldLabel, readableMessage, sentence, withoutPaths } from './readable';

/** What a failed network call means for the person, by the client's own codes. */
const CLIENT_SENTENCES: Record<string, string> = {
  network: 'The server cannot be reached. Check that it is running and try again.',
};

/**
 * One problem as people read it: the catalogue's title (the problem's `title`) and one or more
 * sentences saying what exactly, with field paths replaced by labels and validator wording
 * rewritten. A detail that only repeats the title is left out, so nothing is said twice.
 */
export function problemText(
  error: unknown,
  options: { labels?: Readonly<Record<string, string>> } = {},
): { title: string; sentences: string[] } {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : 'Something went wrong.';
    return { title: '', sentences: [sentence(message)] };
  }
  const client = CLIENT_SENTENCES[error.code];
  if (client) return { title: '', sentences: [client] };
  const title = error.title;
  if (error.fieldErrors.length > 0) {
    return {
      title,
      sentences: error.fieldErrors.map((e) =>
        sentence(`${fieldLabel(e.field, options.labels)} ${readableMessage(e.message)}`),
      ),
    };
  }
  const detail = sentence(withoutPaths(error.message, options.labels));
  const same = detail.replace(/\.$/, '').toLowerCase() === title.toLowerCase();
  return { title, sentences: same || !detail ? [] : [detail] };
}

/** The same as one line, for the places that show a problem in a sentence of their own. */
export function problemLine(
  error: unknown,
  options: { labels?: Readonly<Record<string, string>> } = {},
): string {
  const { title, sentences } = problemText(error, options);
  return [title ? sentence(title) : '', ...sentences].filter(Boolean).join(' ');
}
