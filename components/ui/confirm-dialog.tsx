"use client";

import { useState, type ReactNode } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { Field } from "./field";
import { Input } from "./input";

/**
 * Confirms a destructive action. With `confirmText`, the operator types it first, as the
 * console asks for "delete" before deleting an application.
 */
export function ConfirmDialog({ open, onClose, onConfirm, title, children, confirmLabel = "Delete", confirmText, pending, error }: {
  open: boolean; onClose: () => void; onConfirm: () => void; title: string; children: ReactNode;
  confirmLabel?: string; confirmText?: string; pending?: boolean; error?: string | null;
}) {
  const [typed, setTyped] = useState("");
  const blocked = confirmText !== undefined && typed !== confirmText;
  const close = () => { setTyped(""); onClose(); };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      testId="confirm-dialog"
      footer={
        <>
          <Button variant="link" onClick={close}>Cancel</Button>
          <Button variant="danger" loading={pending} disabled={blocked} onClick={onConfirm} data-testid="confirm-button">{confirmLabel}</Button>
        </>
      }
    >
      <div className="flex flex-col gap-4 text-sm">
        <div>{children}</div>
        {confirmText !== undefined && (
          <Field label={<>To confirm, type <i>{confirmText}</i> in the field.</>} htmlFor="confirm-text">
            <Input id="confirm-text" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={confirmText} autoComplete="off" />
          </Field>
        )}
        {error && <Alert type="error">{error}</Alert>}
      </div>
    </Dialog>
  );
}
