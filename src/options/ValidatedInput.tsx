/** A text field for a URL setting: checked as typed, saved once typing pauses and only when valid. */
import { useEffect, useRef, useState } from 'preact/hooks';

/** A typing user is saved once they pause, not on every key. */
const TYPING_PAUSE_MS = 600;

export function ValidatedInput(props: {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  /** The message for a value that is not valid, undefined for one that is. */
  check: (text: string) => string | undefined;
  onValid: (value: string) => void;
}) {
  const { id, label, value, placeholder, check, onValid } = props;
  const [draft, setDraft] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const saved = useRef(value);
  useEffect(() => {
    saved.current = value;
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const error = check(draft);
  const onInput = (text: string): void => {
    setDraft(text);
    clearTimeout(timer.current);
    if (check(text) !== undefined || text.trim() === saved.current) return;
    timer.current = setTimeout(() => onValid(text.trim()), TYPING_PAUSE_MS);
  };
  return (
    <label>
      {label}
      <input
        type="url"
        id={id}
        placeholder={placeholder}
        spellcheck={false}
        value={draft}
        aria-invalid={error !== undefined}
        aria-describedby={`${id}-error`}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <span class="error" id={`${id}-error`} role="alert">
        {error ?? ''}
      </span>
    </label>
  );
}
