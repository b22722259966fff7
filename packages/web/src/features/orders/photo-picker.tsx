import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { MAX_PHOTOS, type PhotoInput } from '@haitang/contracts';
import { Button, Image, Space, Spin } from 'antd';
import { useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { resizePhoto } from '../field/photos';

interface Props {
  value?: PhotoInput[];
  onChange?: (photos: PhotoInput[]) => void;
  testId?: string;
}

/** Choose or take photos; each is resized and JPEG-encoded in the browser before it is sent. */
export function PhotoPicker({ value = [], onChange, testId = 'photo-input' }: Props) {
  const { t } = useI18n();
  const { fail } = useNotify();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    try {
      const room = MAX_PHOTOS - value.length;
      const picked = [...files].filter((f) => f.type.startsWith('image/')).slice(0, Math.max(0, room));
      const photos: PhotoInput[] = [];
      for (const file of picked) photos.push(await resizePhoto(file));
      onChange?.([...value, ...photos]);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div>
      <input
        ref={input}
        type="file"
        accept="image/*"
        multiple
        hidden
        data-testid={testId}
        onChange={(e) => void add(e.target.files)}
      />
      <Space wrap size={8} align="start">
        <Image.PreviewGroup>
          {value.map((p, i) => (
            <div key={i} style={{ position: 'relative' }}>
              <Image src={p.dataUrl} alt={p.name} width={72} height={72} style={{ objectFit: 'cover' }} />
              <Button
                size="small"
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common.remove')}
                onClick={() => onChange?.(value.filter((_, j) => j !== i))}
                style={{ position: 'absolute', top: 0, right: 0, background: 'rgba(255,255,255,0.85)' }}
              />
            </div>
          ))}
        </Image.PreviewGroup>
        {value.length < MAX_PHOTOS && (
          <Button icon={busy ? <Spin size="small" /> : <CameraOutlined />} onClick={() => input.current?.click()} disabled={busy} style={{ height: 72 }}>
            {t('orders.photos.add', { n: MAX_PHOTOS - value.length })}
          </Button>
        )}
      </Space>
    </div>
  );
}
