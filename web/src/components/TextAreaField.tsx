// A labelled multi-line field with its hint and errors (the console's notes and reasons).
// Its own file so the member bundle, which shares forms.tsx, does not carry it.
import { FieldShell } from './forms';

interface TextAreaFieldProps {
  id: string;
  name: string;
  label: string;
  hint?: string;
  errors?: string[] | undefined;
  value: string;
  onValue: (v: string) => void;
  rows?: number;
  maxLength?: number;
  required?: boolean;
}

export function TextAreaField({ id, name, label, hint, errors, value, onValue, rows = 5, maxLength, required }: TextAreaFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(describedBy, invalid) => (
        <textarea
          id={id}
          name={name}
          class={`textarea${invalid ? ' input--error' : ''}`}
          rows={rows}
          maxLength={maxLength}
          required={required}
          value={value}
          spellcheck
          onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
        />
      )}
    </FieldShell>
  );
}
