'use client';

import { useEffect, useId, useRef } from 'react';
import s from '../admin.module.css';

type Props = {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
};

/** A modal confirmation on the native <dialog> (focus trap and Escape for free). */
export function ConfirmDialog({ open, title, message, confirmLabel, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} className={s.dialog} onCancel={onCancel} aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <p>{message}</p>
      <div className={s.actions}>
        <button type="button" className={`${s.button} ${s.danger} ${s.primary}`} onClick={onConfirm} autoFocus>
          {confirmLabel}
        </button>
        <button type="button" className={s.button} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
