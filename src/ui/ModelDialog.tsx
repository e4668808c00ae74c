/**
 * The model dialog: a native `<dialog>` opened with `showModal()`, so the browser
 * provides the focus trap, Escape, the inert page behind and the backdrop. It
 * closes on the X button, Escape and a click on the backdrop; the island puts
 * focus back on the row's link.
 */
import { useEffect, useRef } from 'react';
import { formatCount } from '../display/format.ts';
import { ModelDetails } from './ModelDetails.tsx';
import { ModelId } from './ModelId.tsx';
import type { ModelRow } from './epoch-data.ts';

/** What the dialog shows: a model of the epoch, or an id the epoch does not list. */
export type DialogContent = { kind: 'model'; row: ModelRow } | { kind: 'missing'; id: string } | null;

interface Props {
  content: DialogContent;
  epochId: number;
  usageUnavailable: string | null;
  modelsHref: string;
  /** Called once the dialog has closed, however it was closed. */
  onClosed(): void;
}

/** The dialog element; open whenever `content` is set. */
export function ModelDialog({ content, epochId, usageUnavailable, modelsHref, onClosed }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClosedRef = useRef(onClosed);
  onClosedRef.current = onClosed;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (content && !dialog.open) dialog.showModal();
    if (!content && dialog.open) dialog.close();
  }, [content]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Escape closes a modal dialog natively and fires `close`, as does dialog.close().
    const handle = () => onClosedRef.current();
    dialog.addEventListener('close', handle);
    return () => dialog.removeEventListener('close', handle);
  }, []);

  const title = content?.kind === 'model' ? <ModelId id={content.row.id} /> : content ? 'Model not found' : '';
  return (
    <dialog
      ref={ref}
      className="model-dialog"
      aria-labelledby="model-dialog-title"
      onClick={(e) => {
        // The dialog box is filled by .model-dialog__body, so a click on the dialog element itself is on the backdrop.
        if (e.target === ref.current) ref.current.close();
      }}
    >
      <div className="model-dialog__body">
        <header className="model-dialog__head">
          <div>
            <p className="eyebrow">{content?.kind === 'model' ? `Model in epoch ${formatCount(epochId)}` : '\u00a0'}</p>
            <h2 id="model-dialog-title" className="model-dialog__title">
              {title}
            </h2>
          </div>
          <button type="button" className="icon-button" aria-label="Close" onClick={() => ref.current?.close()}>
            <span aria-hidden="true">✕</span>
          </button>
        </header>
        {content?.kind === 'model' && (
          <>
            {content.row.registry_status === 'unregistered' && (
              <p className="notice notice--info">This model is not in the chain's model registry, so its parameters are unknown.</p>
            )}
            <ModelDetails row={content.row} epochId={epochId} usageUnavailable={usageUnavailable} sections={['figures', 'epoch', 'registry']} />
            <p className="model-dialog__links">
              <a className="button" href={content.row.page_url}>
                Model page: every epoch →
              </a>
              <a href={content.row.json_url}>JSON</a>
            </p>
          </>
        )}
        {content?.kind === 'missing' && (
          <>
            <p>
              Epoch {formatCount(epochId)} lists no model with the id <code className="mono">{content.id}</code>.
            </p>
            <p>
              <a href={modelsHref}>Browse every model ever seen →</a>
            </p>
          </>
        )}
      </div>
    </dialog>
  );
}
