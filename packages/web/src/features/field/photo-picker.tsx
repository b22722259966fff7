import { CameraOutlined, CloseOutlined } from '@ant-design/icons';
import type { PhotoInput } from '@haitang/contracts';
import { Alert, Button, Spin } from 'antd';
import { useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { MAX_PHOTOS, resizePhoto } from './photos';

interface Props {
  value?: PhotoInput[];
  onChange?: (photos: PhotoInput[]) => void;
  max?: number;
  testId?: string;
  disabled?: boolean;
}

/**
 * Photos from the phone's camera (or gallery): each is resized on the phone to a small JPEG
 * before it is kept, so a report goes out quickly on a weak signal.
 */
export function PhotoPicker({ value = [], onChange, max = MAX_PHOTOS, testId = 'photos', disabled }: Props) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // Photos resized while earlier ones are still being processed must not overwrite each other.
  const latest = useRef(value);
  latest.current = value;

  const pick = async (files: FileList | null) => {
    if (!files?.length) return;
    setError(null);
    const room = max - latest.current.length;
    const chosen = Array.from(files).slice(0, Math.max(0, room));
    if (files.length > room) setError(t('field.photos.tooMany', { max }));
    setBusy((n) => n + chosen.length);
    for (const file of chosen) {
      try {
        const photo = await resizePhoto(file);
        const next = [...latest.current, photo];
        latest.current = next;
        onChange?.(next);
      } catch {
        setError(t('field.photos.unreadable', { name: file.name }));
      } finally {
        setBusy((n) => n - 1);
      }
    }
    if (input.current) input.current.value = '';
  };

  const remove = (index: number) => onChange?.(value.filter((_, i) => i !== index));

  return (
    <div className="ht-photos" data-testid={testId}>
      <div className="ht-photo-grid">
        {value.map((p, i) => (
          <div key={`${i}-${p.name}`} className="ht-photo-thumb" data-testid={`${testId}-thumb`}>
            <img src={p.dataUrl} alt={p.name} />
            <button type="button" aria-label={t('common.remove')} onClick={() => remove(i)} disabled={disabled}>
              <CloseOutlined />
            </button>
          </div>
        ))}
        {busy > 0 && (
          <div className="ht-photo-thumb ht-photo-busy">
            <Spin size="small" />
          </div>
        )}
        {value.length + busy < max && (
          <Button className="ht-photo-add" icon={<CameraOutlined />} onClick={() => input.current?.click()} disabled={disabled} data-testid={`${testId}-add`}>
            {t('field.photos.add')}
          </Button>
        )}
      </div>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        style={{ display: 'none' }}
        data-testid={`${testId}-input`}
        onChange={(e) => void pick(e.target.files)}
      />
      <div className="ht-hint">{t('field.photos.hint', { max })}</div>
      {error && <Alert type="warning" showIcon title={error} style={{ marginTop: 8 }} />}
    </div>
  );
}
