import { formatUkDate } from '~/lib/dates';

export type ChangeNote = {
  id: string;
  kind: 'retitled' | 'moved' | 'named';
  oldTitle: string | null;
  newTitle: string | null;
  oldNumber: number | null;
  newNumber: number | null;
  at: Date | string;
};

/** What a change note says, e.g. "Title changed on 2 December 2026: formerly 'Open data'". */
export function changeNoteText(note: ChangeNote) {
  const on = formatUkDate(new Date(note.at));
  switch (note.kind) {
    case 'retitled':
      return `Title changed on ${on}: formerly '${note.oldTitle}'.`;
    case 'moved':
      return `Moved on ${on}: formerly recommendation ${note.oldNumber}, now ${note.newNumber}.`;
    case 'named':
      return `Named and opened for comment on ${on}: formerly a placeholder titled '${note.oldTitle}'.`;
  }
}

/**
 * The public, dated record of changes made after responses arrived, so a respondent's receipt
 * and the results can be read against the text as it stood when people answered.
 */
export function ChangeNotes({ notes }: { notes: readonly ChangeNote[] }) {
  if (notes.length === 0) return null;
  return (
    <section className="change-notes" aria-labelledby="change-notes-heading">
      <h2 id="change-notes-heading">Changes since responses arrived</h2>
      <ul>
        {notes.map((note) => (
          <li key={note.id}>{changeNoteText(note)}</li>
        ))}
      </ul>
    </section>
  );
}
