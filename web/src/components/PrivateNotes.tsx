// "Private to the Soundcheck team": a listing's two notes that are never public (not in /hsds,
// not in exports) — how the team reaches the provider, and their waitlist. Staff read and change
// them on the staff service page, the provider on their own listing's page. Both notes are sent
// with PUT and If-Match (an emptied one as null); a 412 reloads them, says what someone else
// changed and keeps what was typed, unsaved; 422 errors sit at their fields.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import {
  buildPrivateNotes,
  changedByText,
  describeNoteChanges,
  editedNotes,
  mergeNotes,
  PRIVATE_NOTE_FIELDS,
  privateNoteHint,
  privateNoteLabel,
  privateNotesForm,
  type FieldChange,
  type NotesViewer,
  type PrivateNotes,
  type PrivateNotesForm,
} from '../directory';
import { directory } from '../directoryApi';
import { ConflictNotice } from './Directory';
import { Button, ErrorSummary, errorsFromException, useFormErrors } from './forms';
import { TextAreaField } from './TextAreaField';
import { Loading, Notice, Time } from './ui';

const ID = 'private-notes-';

interface Conflict {
  theirs: FieldChange[];
  yours: FieldChange[];
}

type Message = { kind: 'success' | 'info'; text: string } | null;

export function PrivateNotesCard({ serviceId, viewer }: { serviceId: string; viewer: NotesViewer }) {
  const [notes, setNotes] = useState<PrivateNotes | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [base, setBase] = useState<PrivateNotesForm>(privateNotesForm(null));
  const [form, setForm] = useState<PrivateNotesForm>(privateNotesForm(null));
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const messageRef = useRef<HTMLDivElement>(null);

  const fetchNotes = (): Promise<PrivateNotes> => (viewer === 'staff' ? directory.getPrivateNotes(serviceId) : directory.myPrivateNotes(serviceId));

  const show = (n: PrivateNotes) => {
    const f = privateNotesForm(n);
    setNotes(n);
    setBase(f);
    setForm(f);
  };

  const load = async () => {
    setLoadError(null);
    try {
      show(await fetchNotes());
    } catch (e) {
      setLoadError(errorsFromException(e, []).detail ?? 'Something went wrong.');
    }
  };

  useEffect(() => {
    setNotes(null);
    setMessage(null);
    setConflict(null);
    clear();
    void load();
  }, [serviceId, viewer]);

  useEffect(() => {
    if (message || conflict) messageRef.current?.focus();
  }, [message, conflict]);

  const onSave = async (e: Event) => {
    e.preventDefault();
    if (!notes || saving) return;
    setMessage(null);
    setConflict(null);
    const { body, errors: local, changed } = buildPrivateNotes(base, form);
    if (Object.keys(local).length) {
      setErrors({ detail: null, fields: local, general: [] });
      return;
    }
    clear();
    if (!changed) {
      setMessage({ kind: 'info', text: 'There were no changes to save.' });
      return;
    }
    setSaving(true);
    const before = base;
    const typed = form;
    try {
      const saved = await (viewer === 'staff' ? directory.savePrivateNotes(serviceId, notes.version, body) : directory.saveMyPrivateNotes(serviceId, notes.version, body));
      show(saved && typeof saved.version === 'number' ? saved : await fetchNotes());
      setMessage({ kind: 'success', text: 'Private notes saved.' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        // Someone else saved first: show their notes, say what they changed, keep what was typed.
        try {
          const fresh = await fetchNotes();
          const freshForm = privateNotesForm(fresh);
          const merged = mergeNotes(before, freshForm, typed);
          setNotes(fresh);
          setBase(freshForm);
          setForm(merged);
          setConflict({
            theirs: describeNoteChanges(before, freshForm, viewer),
            yours: describeNoteChanges(freshForm, merged, viewer, editedNotes(before, typed)),
          });
        } catch (e2) {
          setErrors(errorsFromException(e2, PRIVATE_NOTE_FIELDS));
        }
      } else {
        setErrors(errorsFromException(err, PRIVATE_NOTE_FIELDS));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card card--spaced" aria-labelledby="private-notes-title" data-testid="private-notes">
      <h2 id="private-notes-title">Private to the Soundcheck team</h2>
      <p class="hint">Never shown in the public directory or in exports.</p>
      {loadError ? (
        <div class="error-summary" role="alert" data-testid="private-notes-load-error">
          <h3 class="error-summary__title">The private notes could not be loaded</h3>
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      ) : !notes ? (
        <Loading label="Loading the private notes…" />
      ) : (
        <>
          {notes.version > 0 && notes.updated_at && (
            <p class="muted" data-testid="private-notes-changed">
              Last changed <Time iso={notes.updated_at} /> by {changedByText(notes.updated_by_role)}.
            </p>
          )}
          <div tabIndex={-1} ref={messageRef} class="focus-target">
            {conflict && (
              <ConflictNotice
                title="Someone else changed these notes while you were editing"
                heading="h3"
                place="form"
                conflict={conflict}
                testId="private-notes-conflict"
              />
            )}
            {message && (
              <Notice kind={message.kind} testId="private-notes-message">
                {message.text}
              </Notice>
            )}
          </div>
          <ErrorSummary errors={errors} order={PRIVATE_NOTE_FIELDS} idPrefix={ID} focusKey={focusKey} />
          <form class="form" method="post" noValidate onSubmit={onSave} aria-labelledby="private-notes-title">
            {PRIVATE_NOTE_FIELDS.map((f) => (
              <TextAreaField
                key={f}
                id={`${ID}${f}`}
                name={f}
                label={privateNoteLabel(f, viewer)}
                hint={privateNoteHint(f, viewer)}
                rows={3}
                value={form[f]}
                onValue={(v) => setForm((x) => ({ ...x, [f]: v }))}
                errors={errors.fields[f]}
              />
            ))}
            <div class="button-group">
              <Button type="submit" busy={saving} data-testid="private-notes-save">
                {saving ? 'Saving…' : 'Save notes'}
              </Button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
